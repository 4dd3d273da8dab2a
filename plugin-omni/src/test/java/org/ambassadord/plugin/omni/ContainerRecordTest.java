package org.ambassadord.plugin.omni;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.github.dockerjava.api.model.ContainerNetwork;
import org.junit.jupiter.api.Test;

class ContainerRecordTest {

    @Test
    void variablesWinOverLabelsAndOnlyValidPortsCount() {
        Map<Integer, String> specs = ContainerRecord.backendSpecs(
                List.of("BACKEND_6379=redis.service.consul", "BACKEND_0=x", "BACKEND_70000=x", "BACKEND_HOST=x",
                        "BACKEND_8080=", "PATH=/bin", "BACKEND_5432= db:5432 "),
                Map.of("connect.6379", "other:6379", "connect.11211", "memcached:11211", "connect.x", "y"));
        assertEquals(Map.of(6379, "redis.service.consul", 11211, "memcached:11211", 5432, "db:5432"), specs);
    }

    @Test
    void aContainerAsksForTlsPerPortAndTheVariableWinsOverTheLabel() {
        Set<Integer> ports = ContainerRecord.tlsPorts(
                List.of("BACKEND_6379_TLS=1", "BACKEND_5432_TLS=true", "BACKEND_11211_TLS=0", "BACKEND__TLS=1",
                        "BACKEND_70000_TLS=1", "BACKEND_80_TLS", "BACKEND_443_TLSX=1", "BACKEND_8443_TLS= YES "),
                Map.of("connect.11211.tls", "1", "connect.9200.tls", "true", "connect.6379.tls", "0", "connect..tls", "1"));
        assertEquals(Set.of(6379, 5432, 9200, 8443), ports, "11211: the variable's 0 wins over the label's 1");
        assertEquals(Set.of(), ContainerRecord.tlsPorts(null, null));
        Map<Integer, String> specs = ContainerRecord.backendSpecs(List.of("BACKEND_6379_TLS=1", "BACKEND_6379=db:6379"), null);
        assertEquals(Map.of(6379, "db:6379"), specs, "the TLS flag is not a spec");
    }

    @Test
    void addressesComeFromEveryNetworkAndTheNameLosesItsSlash() throws Exception {
        ContainerNetwork bridge = new ContainerNetwork().withIpv4Address("172.17.0.2");
        ContainerNetwork custom = new ContainerNetwork().withIpv4Address("172.18.0.5");
        ContainerRecord record = ContainerRecord.of("0123456789abcdef", "/web",
                Map.of("bridge", bridge, "custom", custom, "none", new ContainerNetwork()), null, null, ContainerFacts.NONE);
        assertEquals(Set.of(InetAddress.getByName("172.17.0.2"), InetAddress.getByName("172.18.0.5")), record.addresses());
        assertEquals("web (0123456789ab)", record.describe());
        assertEquals(Map.of(), record.backendSpecs());
    }
}
