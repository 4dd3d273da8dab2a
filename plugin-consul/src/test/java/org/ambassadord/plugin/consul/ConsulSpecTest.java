package org.ambassadord.plugin.consul;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;

import org.ambassadord.spi.BackendSpecException;
import org.junit.jupiter.api.Test;

class ConsulSpecTest {

    @Test
    void parsesTheSeedsExample() throws BackendSpecException {
        ConsulSpec spec = ConsulSpec.parse("consul://127.0.0.1:8500/path/to/backend/nodes");
        assertEquals(new HostPort("127.0.0.1", 8500), spec.agent());
        assertEquals("path/to/backend/nodes", spec.key());
        assertEquals(Optional.empty(), spec.datacenter());
        assertEquals(Duration.ofMinutes(5), spec.waitTime());
        assertEquals("Consul [127.0.0.1:8500] key [path/to/backend/nodes]", spec.describe());
    }

    @Test
    void defaultsThePortAndTrimsSlashes() throws BackendSpecException {
        ConsulSpec spec = ConsulSpec.parse("consul://consul.service.local//backends/redis/");
        assertEquals(new HostPort("consul.service.local", 8500), spec.agent());
        assertEquals("backends/redis", spec.key());
    }

    @Test
    void acceptsIpv6AgentsAndDecodesThePath() throws BackendSpecException {
        ConsulSpec spec = ConsulSpec.parse("consul://[::1]:8501/app/my%20service/%E2%9C%93");
        assertEquals(new HostPort("::1", 8501), spec.agent());
        assertEquals("app/my service/\u2713", spec.key());
    }

    @Test
    void readsTheOptions() throws BackendSpecException {
        ConsulSpec spec = ConsulSpec.parse("consul://c:8500/k?dc=eu-west-1&wait=30s");
        assertEquals(Optional.of("eu-west-1"), spec.datacenter());
        assertEquals(Duration.ofSeconds(30), spec.waitTime());
        assertEquals(Duration.ofMinutes(10), ConsulSpec.parse("consul://c/k?wait=10m").waitTime());
        assertEquals(Duration.ofSeconds(45), ConsulSpec.parse("consul://c/k?wait=45").waitTime());
    }

    @Test
    void refusesTheTokenOptionWithAHint() {
        BackendSpecException error = assertThrows(BackendSpecException.class,
                () -> ConsulSpec.parse("consul://c/k?token=abc"));
        assertEquals("unknown option [token] in [consul://c/k?token=abc]; known options are [dc, wait]; "
                + "the ACL token comes from CONSUL_HTTP_TOKEN", error.getMessage());
    }

    @Test
    void refusesOtherSchemes() {
        assertThrows(BackendSpecException.class, () -> ConsulSpec.parse("etcd://c/k"));
    }

    @Test
    void refusesADuplicateOption() {
        BackendSpecException error = assertThrows(BackendSpecException.class,
                () -> ConsulSpec.parse("consul://c/k?wait=1s&wait=2s"));
        assertTrue(error.getMessage().contains("option [wait] is given twice"), error.getMessage());
    }
}
