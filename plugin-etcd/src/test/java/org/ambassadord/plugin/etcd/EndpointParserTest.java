package org.ambassadord.plugin.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalInt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EndpointParserTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "127.0.0.1:6379       | 127.0.0.1      | 6379",
        "redis-1.example.com:1 | redis-1.example.com | 1",
        "_srv.host_name:65535  | _srv.host_name | 65535",
        "[::1]:2379            | ::1            | 2379",
        "[fe80::1%eth0]:80     | fe80::1%eth0   | 80",
        "[::ffff:10.0.0.1]:80  | ::ffff:10.0.0.1 | 80",
    })
    void parsesHostAndPort(String text, String host, int port) {
        assertEquals(new HostPort(host, port), EndpointParser.parse(text));
    }

    @Test
    void usesTheDefaultPortOnlyWhenAllowed() {
        assertEquals(new HostPort("etcd", 2379), EndpointParser.parse("etcd", OptionalInt.of(2379)));
        assertEquals(new HostPort("::1", 2379), EndpointParser.parse("[::1]", OptionalInt.of(2379)));
        assertMessage("etcd", "no port in [etcd]");
    }

    @Test
    void printsAsTheUserWritesIt() {
        assertEquals("[::1]:2379", EndpointParser.parse("[::1]:2379").toString());
        assertEquals("host:1", EndpointParser.parse("host:1").toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''                  | empty host",
        ":6379               | empty host in [:6379]",
        "[]:6379             | empty host in [[]:6379]",
        "host:0              | port [0] of [host:0] is out of range 1-65535",
        "host:65536          | port [65536] of [host:65536] is out of range 1-65535",
        "host:99999999999999 | port [99999999999999] of [host:99999999999999] is out of range",
        "host:               | port [] of [host:] is not a number",
        "host:http           | port [http] of [host:http] is not a number",
        "host:-1             | port [-1] of [host:-1] is not a number",
        "::1:2379            | IPv6 address in [::1:2379] needs brackets",
        "[::1:2379           | missing [']'] in [[::1:2379]",
        "[::1]x2379          | expected [:port] after [[::1]]",
        "[redis]:6379        | [redis] in [[redis]:6379] is not an IPv6 address",
        "tcp://host:6379     | [tcp://host:6379] is a URL",
        "my host:6379        | host [my host] of [my host:6379] is not a host name",
    })
    void refusesWithTheOffendingPartInBrackets(String text, String fragment) {
        assertMessage(text, fragment);
    }

    private static void assertMessage(String text, String fragment) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> EndpointParser.parse(text));
        assertTrue(error.getMessage().contains(fragment), "[" + error.getMessage() + "] should contain [" + fragment + "]");
    }
}
