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
    void addressesComeFromEveryNetworkAndTheNameLosesItsSlash() throws Exception {
        ContainerNetwork bridge = new ContainerNetwork().withIpv4Address("172.17.0.2");
        ContainerNetwork custom = new ContainerNetwork().withIpv4Address("172.18.0.5");
        ContainerRecord record = ContainerRecord.of("0123456789abcdef", "/web",
                Map.of("bridge", bridge, "custom", custom, "none", new ContainerNetwork()), null, null);
        assertEquals(Set.of(InetAddress.getByName("172.17.0.2"), InetAddress.getByName("172.18.0.5")), record.addresses());
        assertEquals("web (0123456789ab)", record.describe());
        assertEquals(Map.of(), record.backendSpecs());
    }
}
