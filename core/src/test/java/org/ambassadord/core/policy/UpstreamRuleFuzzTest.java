package org.ambassadord.core.policy;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * {@code --allow-upstream} and {@code --deny-upstream}: a rule list parses to rules with
 * ports in range, or is refused with {@link IllegalArgumentException}; a parsed rule answers
 * for any address without throwing.
 */
class UpstreamRuleFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void parsesOrRefuses(FuzzedDataProvider data) throws UnknownHostException {
        byte[] address = data.consumeBytes(data.consumeBoolean() ? 4 : 16);
        int port = data.consumeInt(1, 65535);
        String list = data.consumeRemainingAsString();
        try {
            List<UpstreamRule> rules = UpstreamRule.parseList("--allow-upstream", list);
            for (UpstreamRule rule : rules) {
                assertTrue(rule.fromPort() >= 1 && rule.fromPort() <= rule.toPort() && rule.toPort() <= 65535, list);
                if (address.length == 4 || address.length == 16) {
                    rule.matches(new java.net.InetSocketAddress(InetAddress.getByAddress(address), port));
                }
            }
        } catch (IllegalArgumentException refused) {
            assertNotNull(refused.getMessage());
        }
    }
}
