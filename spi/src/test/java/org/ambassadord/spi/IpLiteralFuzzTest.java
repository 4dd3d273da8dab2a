package org.ambassadord.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.Optional;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * {@link ProviderContext#ipLiteral} on any text up to 64 KiB: a literal, a host name, or a
 * one-line refusal quoting at most a bounded part of the text; a literal it accepts is one the
 * JDK prints back and parses to the same address, and text with neither a colon nor only digits
 * and dots is never taken for one.
 */
class IpLiteralFuzzTest {

    @FuzzTest(maxDuration = "10s")
    @DictionaryEntries({"::", ":", ".", "%", "ffff", "255", "256", "0", "::ffff:", "fe80", "%eth0", "[", "]", "127.0.0.1"})
    void literalsNamesOrOneLineRefusals(FuzzedDataProvider data) throws Exception {
        String text = data.consumeString(64 << 10);
        try {
            Optional<InetAddress> literal = ProviderContext.ipLiteral(text);
            if (literal.isPresent()) {
                assertTrue(text.indexOf(':') >= 0 || text.chars().allMatch(c -> c == '.' || c >= '0' && c <= '9'), text);
                String printed = literal.get().getHostAddress();
                assertEquals(literal.get(), ProviderContext.ipLiteral(printed).orElseThrow(), printed);
            } else {
                assertTrue(text.indexOf(':') < 0, text);
            }
        } catch (IllegalArgumentException refused) {
            assertTrue(refused.getMessage().length() < 200 && refused.getMessage().lines().count() == 1,
                    refused.getMessage());
        }
    }
}
