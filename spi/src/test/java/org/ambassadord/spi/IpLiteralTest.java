package org.ambassadord.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IpLiteralTest {

    @Test
    void ipv4IsBuiltFromItsNumbers() throws Exception {
        assertEquals(Optional.of(InetAddress.getByAddress(new byte[] {10, 0, 0, 1})), ProviderContext.ipLiteral("10.0.0.1"));
        assertEquals("255.255.255.255", ProviderContext.ipLiteral("255.255.255.255").orElseThrow().getHostAddress());
        assertEquals("0.0.0.0", ProviderContext.ipLiteral("0.0.0.0").orElseThrow().getHostAddress());
    }

    @Test
    void ipv6WithAndWithoutZoneOrIpv4Tail() {
        assertEquals("0:0:0:0:0:0:0:1", ProviderContext.ipLiteral("::1").orElseThrow().getHostAddress());
        assertEquals("2001:db8:0:0:0:0:0:1", ProviderContext.ipLiteral("2001:DB8::1").orElseThrow().getHostAddress());
        assertTrue(ProviderContext.ipLiteral("::ffff:10.0.0.1").isPresent());
        assertTrue(ProviderContext.ipLiteral("fe80::1%1").isPresent());
    }

    @ParameterizedTest
    @ValueSource(strings = {"redis", "db.example.com", "my_container", "a1.b2", "x.10"})
    void hostNamesAreNoLiterals(String host) {
        assertEquals(Optional.empty(), ProviderContext.ipLiteral(host));
    }

    @ParameterizedTest
    @ValueSource(strings = {"300.1.1.1", "1.2.3", "1.2.3.4.5", "1..2.3", "010.0.0.1", "1.2.3.4.", "123456", "zz:1", ".:",
            "%:", "1:2:3:4:5:6:7:8:9", ":::", "fe80::1%", "fe80::1%e th0", "::1]", "[::1"})
    void malformedLiteralsAreRefusedInOneLine(String host) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> ProviderContext.ipLiteral(host));
        assertTrue(refused.getMessage().startsWith("[" + host + "] is not an IPv"), refused.getMessage());
    }

    /** The reproduction of issue 21: 40,000 colons took the old pattern 18 s; 1 MiB of each worst case here. */
    @ParameterizedTest
    @ValueSource(strings = {":", "1", "1.", "a", "9:", "%"})
    void aMebibyteOfWorstCaseTextIsRefusedAtOnce(String unit) {
        String hostile = unit.repeat((1 << 20) / unit.length()) + "g";
        assertTimeoutPreemptively(Duration.ofSeconds(1), () -> {
            try {
                ProviderContext.ipLiteral(hostile);
            } catch (IllegalArgumentException refused) {
                assertTrue(refused.getMessage().length() < 200, "the message quotes all of it");
            }
        });
    }
}
