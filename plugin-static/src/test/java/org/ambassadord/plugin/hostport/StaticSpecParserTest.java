package org.ambassadord.plugin.hostport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class StaticSpecParserTest {

    @Test
    void parsesTheSeedsForms() throws Exception {
        assertEquals(List.of(new HostPort("192.168.1.100", 8080)), StaticSpecParser.parse("192.168.1.100:8080"));
        assertEquals(List.of(new HostPort("redis.example.com", 6379)), StaticSpecParser.parse("redis.example.com:6379"));
        assertEquals(List.of(new HostPort("redis-1.example.com", 6379), new HostPort("redis-2.example.com", 6379)),
                StaticSpecParser.parse("redis-1.example.com:6379,redis-2.example.com:6379"));
    }

    @Test
    void parsesIpv6InBracketsAndTheSchemeForm() throws Exception {
        assertEquals(List.of(new HostPort("::1", 6379)), StaticSpecParser.parse("[::1]:6379"));
        assertEquals(List.of(new HostPort("10.0.0.1", 1), new HostPort("fd00::1", 2)),
                StaticSpecParser.parse("static://10.0.0.1:1, [fd00::1]:2"));
    }

    @Test
    void claimsSpecsWithAPortOrAListOnly() {
        assertTrue(StaticSpecParser.looksStatic("redis:6379"));
        assertTrue(StaticSpecParser.looksStatic("[::1]:6379"));
        assertTrue(StaticSpecParser.looksStatic("redis:abc"), "so that the port error comes from here");
        assertFalse(StaticSpecParser.looksStatic("redis.service.consul"), "a bare name is DNS SRV");
        assertFalse(StaticSpecParser.looksStatic("links"));
    }

    @Test
    void literalsNeedNoDns() {
        assertTrue(new HostPort("10.1.2.3", 80).literalAddress().isPresent());
        assertTrue(new HostPort("fd00::1", 80).literalAddress().isPresent());
        assertFalse(new HostPort("redis.example.com", 80).literalAddress().isPresent());
    }
}
