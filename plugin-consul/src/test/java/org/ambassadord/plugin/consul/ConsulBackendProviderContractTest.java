package org.ambassadord.plugin.consul;

import java.util.List;
import java.util.Set;

import org.ambassadord.spi.BackendProvider;
import org.ambassadord.spi.testkit.BackendProviderContract;

/** The SPI's provider contract for the {@code consul} scheme. */
class ConsulBackendProviderContractTest extends BackendProviderContract {

    @Override
    protected BackendProvider provider() {
        return new ConsulBackendProvider();
    }

    @Override
    protected String validSpec() {
        // Port 1 refuses at once; opening must not care.
        return "consul://127.0.0.1:1/path/to/backend/nodes";
    }

    @Override
    protected List<BadSpec> badSpecs() {
        return List.of(
                new BadSpec("consul://", "missing Consul host in [consul://]"),
                new BadSpec("consul:///path", "missing Consul host in [consul:///path]"),
                new BadSpec("consul://127.0.0.1:8500", "missing key path in [consul://127.0.0.1:8500]"),
                new BadSpec("consul://127.0.0.1:8500/", "missing key path"),
                new BadSpec("consul://127.0.0.1:8500///?wait=1s", "missing key path"),
                new BadSpec("consul://127.0.0.1:70000/path", "port [70000] is out of range 1-65535"),
                new BadSpec("consul://127.0.0.1:0/path", "port [0] is out of range"),
                new BadSpec("consul://127.0.0.1:http/path", "port [http] is not a number"),
                new BadSpec("consul://::1:8500/path", "must be in brackets"),
                new BadSpec("consul://[::1:8500/path", "[::1:8500]"),
                new BadSpec("consul://user@127.0.0.1/path", "CONSUL_HTTP_TOKEN"),
                new BadSpec("consul://127.0.0.1:8500/path?recursive=1", "unknown option [recursive]"),
                new BadSpec("consul://127.0.0.1:8500/path?token=abc", "unknown option [token]"),
                new BadSpec("consul://127.0.0.1:8500/path?dc=", "option [dc]"),
                new BadSpec("consul://127.0.0.1:8500/path?dc=a/b", "datacenter [a/b]"),
                new BadSpec("consul://127.0.0.1:8500/path?wait=20m", "wait [20m]"),
                new BadSpec("consul://127.0.0.1:8500/path?wait=0s", "wait [0s]"),
                new BadSpec("consul://127.0.0.1:8500/path?wait=soon", "wait [soon]"),
                new BadSpec("consul://127.0.0.1:8500/pa%zzth", "bad escape [%zz]"),
                new BadSpec("consul://127.0.0.1:8500/path#nodes", "[#nodes]"));
    }

    @Override
    protected Set<Integer> expectedListenPorts() {
        return Set.of(10000);
    }
}
