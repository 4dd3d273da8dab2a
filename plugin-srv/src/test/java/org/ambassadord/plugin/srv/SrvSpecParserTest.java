package org.ambassadord.plugin.srv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.ambassadord.plugin.srv.SrvSpec.DnsServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which bare specs are SRV names, and how {@code srv://} specs parse. */
class SrvSpecParserTest {

    @ParameterizedTest
    @ValueSource(strings = {"redis.service.consul", "redis.service.consul.", "_redis._tcp.example.com",
            "db-1.internal", "a.b"})
    void claimsBareDnsNames(String spec) {
        assertTrue(SrvSpecParser.isSchemelessSrvName(spec), spec);
    }

    @ParameterizedTest
    @ValueSource(strings = {"redis.example.com:6379", "192.168.1.100:8080", "[::1]:6379", "192.168.1.100",
            "redis", "links", "links:", "--links", "etcd://127.0.0.1:2379/x", "srv://redis.service.consul",
            "redis-1.example.com:6379,redis-2.example.com:6379", "a..b", ".a.b", "a b.c", "", "-x.y.z"})
    void leavesOtherSpecsAlone(String spec) {
        assertFalse(SrvSpecParser.isSchemelessSrvName(spec), spec);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "redis.service.consul|redis.service.consul.|",
            "srv://redis.service.consul|redis.service.consul.|",
            "SRV://Redis.Service.Consul.|Redis.Service.Consul.|",
            "srv://redis|redis.|",
            "srv://redis.service.consul?dns=127.0.0.1:8600|redis.service.consul.|127.0.0.1:8600",
            "srv://redis.service.consul?dns=consul|redis.service.consul.|consul:53",
            "srv://redis.service.consul?dns=[::1]:8600|redis.service.consul.|[::1]:8600",
            "srv://redis.service.consul?dns=[fd00::1]|redis.service.consul.|[fd00::1]:53",
            "srv://redis.service.consul?dns=fd00::1|redis.service.consul.|[fd00::1]:53",
            "srv://redis.service.consul?DNS=10.0.0.2:53|redis.service.consul.|10.0.0.2:53"})
    void parses(String text, String name, String server) throws Exception {
        SrvSpec spec = SrvSpecParser.parse(text);
        assertEquals(name, spec.name());
        assertEquals(Optional.ofNullable(server), spec.dnsServer().map(DnsServer::toString));
        assertEquals(text, spec.text());
    }
}
