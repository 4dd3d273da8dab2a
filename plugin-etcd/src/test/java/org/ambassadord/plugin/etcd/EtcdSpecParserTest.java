package org.ambassadord.plugin.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.ambassadord.spi.BackendSpecException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EtcdSpecParserTest {

    @Test
    void parsesTheSeedsExampleWithItsLeadingSlashKept() throws Exception {
        EtcdSpec spec = EtcdSpecParser.parse("etcd://127.0.0.1:4001/path/to/backend/nodes");
        assertEquals(List.of(new HostPort("127.0.0.1", 4001)), spec.endpoints());
        assertEquals("/path/to/backend/nodes", spec.key());
        assertEquals("/path/to/backend/nodes/", spec.childPrefix());
    }

    @Test
    void parsesSeveralEndpointsWithDefaultPortAndIpv6() throws Exception {
        EtcdSpec spec = EtcdSpecParser.parse("ETCD://etcd-1,etcd-2:22379,[::1]/services/redis/");
        assertEquals(List.of(new HostPort("etcd-1", 2379), new HostPort("etcd-2", 22379), new HostPort("::1", 2379)),
                spec.endpoints());
        assertEquals("/services/redis", spec.key(), "a trailing slash names the same path");
        assertEquals("etcd-1:2379,etcd-2:22379,[::1]:2379", spec.endpointList());
    }

    @Test
    void anEmptyQueryIsNoOption() throws Exception {
        assertEquals("/a", EtcdSpecParser.parse("etcd://h:1/a?").key());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "etcd://                        | no etcd host in [etcd://]",
        "etcd:///path                   | no etcd host in [etcd:///path]",
        "etcd://127.0.0.1:2379          | no key path in [etcd://127.0.0.1:2379]",
        "etcd://127.0.0.1:2379/         | no key path in [etcd://127.0.0.1:2379/]",
        "etcd://127.0.0.1:2379//        | no key path",
        "etcd://127.0.0.1:70000/a       | port [70000] of [127.0.0.1:70000] is out of range 1-65535",
        "etcd://:2379/a                 | etcd endpoint [:2379] of [etcd://:2379/a]: empty host",
        "etcd://a:2379,/x               | etcd endpoint [] of [etcd://a:2379,/x]: empty host",
        "etcd://::1:2379/x              | needs brackets",
        "etcd://h:2379/a?timeout=5      | unknown option [timeout=5] in [etcd://h:2379/a?timeout=5]",
        "etcd://h:2379/a#frag           | must not contain [#]",
        "consul://h:8500/a              | spec [consul://h:8500/a] is not an etcd spec",
    })
    void refusesBadSpecsInOneLine(String spec, String fragment) {
        BackendSpecException error = assertThrows(BackendSpecException.class, () -> EtcdSpecParser.parse(spec));
        assertTrue(error.getMessage().contains(fragment), "[" + error.getMessage() + "] should contain [" + fragment + "]");
        assertTrue(!error.getMessage().contains("\n"), "one line");
    }
}
