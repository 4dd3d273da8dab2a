package org.ambassadord.core.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class UpstreamRuleTest {

    private static InetSocketAddress endpoint(String address, int port) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(address), port);
    }

    @ParameterizedTest(name = "[{0}] matches {1}:{2} = {3}")
    @CsvSource({
            "10.0.0.0/8,            10.255.1.2,          6379, true",
            "10.0.0.0/8,            11.0.0.1,            6379, false",
            "10.0.0.0/8:6379,       10.1.1.1,            6379, true",
            "10.0.0.0/8:6379,       10.1.1.1,            6380, false",
            "10.1.2.3:6000-6999,    10.1.2.3,            6500, true",
            "10.1.2.3:6000-6999,    10.1.2.3,            7000, false",
            "10.1.2.3,              10.1.2.4,            1,    false",
            "10.0.0.0/8,            ::ffff:10.9.9.9,     80,   true",
            "::ffff:10.0.0.0/104,   10.9.9.9,            80,   true",
            "fd00::/8,              fd12::5,             80,   true",
            "fd00::/8,              fe80::5,             80,   false",
            "[fd00::/8]:6379,       fd12::5,             6379, true",
            "[fd00::/8]:6379,       fd12::5,             6380, false",
            "::1,                   ::1,                 22,   true",
            "0.0.0.0/0,             203.0.113.7,         22,   true",
            "0.0.0.0/0,             2001:db8::1,         22,   false",
            "::/0,                  2001:db8::1,         22,   true",
            "10.1.2.3/8,            10.200.0.1,          1,    true",
    })
    void matches(String rule, String address, int port, boolean expected) throws Exception {
        assertEquals(expected, UpstreamRule.parse(rule).matches(endpoint(address, port)));
    }

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(delimiter = '|', value = {
            "redis.example.com/8 | [redis.example.com/8] is not an address or CIDR block",
            "10.1/8              | [10.1/8] is not an address or CIDR block",
            "10.0.0.0/33         | prefix length [33] is out of range 0-32 in [10.0.0.0/33]",
            "10.0.0.0/x          | prefix length [x] of [10.0.0.0/x] is not a number",
            "10.0.0.0/8:0        | port [0] of [10.0.0.0/8:0] is out of range 1-65535",
            "10.0.0.0/8:70000    | port [70000] of [10.0.0.0/8:70000] is out of range 1-65535",
            "10.0.0.0/8:80-20    | port range [80-20] of [10.0.0.0/8:80-20] runs backwards",
            "10.0.0.0/8:http     | port [http] of [10.0.0.0/8:http] is not a number",
            "[fd00::/8           | [[fd00::/8] has no closing ']'",
            "[fd00::/8]6379      | expected ':ports' after ']' in [[fd00::/8]6379]",
            "fe80::1%eth0        | [fe80::1%eth0] is not an address or CIDR block",
    })
    void malformedRulesAreRefusedWithTheirText(String rule, String message) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, () -> UpstreamRule.parse(rule)).getMessage());
    }

    @Test
    void aListNamesTheOptionInItsError() {
        assertEquals(2, UpstreamRule.parseList("--deny-upstream", "10.0.0.0/8, ,192.168.0.0/16:22").size());
        assertEquals("--deny-upstream: [nope] is not an address or CIDR block",
                assertThrows(IllegalArgumentException.class,
                        () -> UpstreamRule.parseList("--deny-upstream", "10.0.0.0/8,nope")).getMessage());
        assertEquals(List.of(), UpstreamRule.parseList("--allow-upstream", ""));
    }

    @Test
    void aNameIsNeverLookedUp() {
        assertFalse(AddressBlock.literal("localhost").isPresent());
        assertFalse(AddressBlock.literal("1.2.3").isPresent());
        assertTrue(AddressBlock.literal("1.2.3.4").isPresent());
        // The JDK would look these up as names (found by PolicyParsersFuzzTest: seconds each).
        assertFalse(AddressBlock.literal("999.1.1.1").isPresent());
        assertFalse(AddressBlock.literal("1:2:3").isPresent());
        assertFalse(AddressBlock.literal("::ffff:1.2.3").isPresent());
    }
}
