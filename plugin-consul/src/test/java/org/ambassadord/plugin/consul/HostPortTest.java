package org.ambassadord.plugin.consul;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostPortTest {

    @ParameterizedTest
    @CsvSource({
            "10.0.0.1:6379, 10.0.0.1, 6379, 10.0.0.1:6379",
            "redis-1.example.com:6379, redis-1.example.com, 6379, redis-1.example.com:6379",
            "'  my_redis:1 ', my_redis, 1, my_redis:1",
            "[::1]:65535, ::1, 65535, [::1]:65535",
            "[2001:db8::7]:80, 2001:db8::7, 80, [2001:db8::7]:80",
            "[fe80::1%eth0]:80, fe80::1%eth0, 80, [fe80::1%eth0]:80",
    })
    void parsesHostAndPort(String text, String host, int port, String printed) {
        HostPort parsed = HostPort.parse(text);
        assertEquals(new HostPort(host, port), parsed);
        assertEquals(printed, parsed.toString());
        assertEquals(parsed, HostPort.parse(parsed.toString()), "toString must parse back");
    }

    @ParameterizedTest
    @CsvSource({
            "consul, 8500, consul:8500",
            "[::1], 8500, [::1]:8500",
            "consul:8501, 8500, consul:8501",
    })
    void usesTheDefaultPortWhenAllowed(String text, int defaultPort, String expected) {
        assertEquals(expected, HostPort.parse(text, defaultPort).toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "redis                | missing port",
            "redis:               | missing port",
            "redis:70000          | port [70000] is out of range 1-65535",
            "redis:0              | port [0] is out of range 1-65535",
            "redis:99999999999999 | port [99999999999999] is out of range",
            "redis:http           | port [http] is not a number",
            "redis:-1             | port [-1] is not a number",
            "::1:80               | must be in brackets",
            "[::1:80              | missing [']']",
            "[::1]x80             | unexpected [x80]",
            "[redis]:80           | [redis] is not an IPv6 address",
            "red is:80            | [red is] is not a host name",
            ":80                  | [] is not a host name",
            "'   '                | empty address",
    })
    void refusesWithAReasonThatQuotesThePart(String text, String fragment) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> HostPort.parse(text));
        assertTrue(error.getMessage().contains(fragment), error.getMessage());
    }

    /** Issue 21's reproduction: [ + 40,000 colons + g]:80 took the old pattern 18 s. */
    @org.junit.jupiter.api.Test
    void worstCaseLiteralsAreRefusedAtOnce() {
        for (String hostile : new String[] {"[" + ":".repeat(1 << 20) + "g]:80", "1.".repeat(1 << 19) + ":80",
                "[" + "1:".repeat(1 << 19) + "%]:80"}) {
            org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(1),
                    () -> assertThrows(IllegalArgumentException.class, () -> HostPort.parse(hostile)));
        }
    }

    @ParameterizedTest
    @CsvSource({"'[zz:1]:80', '[zz:1] is not an IPv6 address'", "'1.2.3.999:80', '[1.2.3.999] is not an IPv4 address'"})
    void malformedLiteralsAreRefusedNotLookedUp(String value, String reason) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> HostPort.parse(value));
        assertTrue(refused.getMessage().contains(reason), refused.getMessage());
    }
}
