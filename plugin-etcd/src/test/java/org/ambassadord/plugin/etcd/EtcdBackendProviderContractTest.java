package org.ambassadord.plugin.etcd;

import java.util.List;
import java.util.Set;

import org.ambassadord.spi.BackendProvider;
import org.ambassadord.spi.testkit.BackendProviderContract;

/** The SPI's promises, for the etcd provider. */
class EtcdBackendProviderContractTest extends BackendProviderContract {

    @Override
    protected BackendProvider provider() {
        return new EtcdBackendProvider();
    }

    @Override
    protected String validSpec() {
        // Nothing listens on port 1: opening must not wait for etcd.
        return "etcd://127.0.0.1:1,[::1]:1/path/to/backend/nodes";
    }

    @Override
    protected List<BadSpec> badSpecs() {
        return List.of(
                new BadSpec("etcd://", "no etcd host in [etcd://]"),
                new BadSpec("etcd://127.0.0.1:2379", "no key path in [etcd://127.0.0.1:2379]"),
                new BadSpec("etcd://127.0.0.1:2379/", "no key path"),
                new BadSpec("etcd://127.0.0.1:70000/nodes", "port [70000]"),
                new BadSpec("etcd://127.0.0.1:2379/nodes?recursive=true", "unknown option [recursive=true]"),
                new BadSpec("etcd://:2379/nodes", "empty host"),
                new BadSpec("consul://127.0.0.1:8500/nodes", "[consul://127.0.0.1:8500/nodes] is not an etcd spec"));
    }

    @Override
    protected Set<Integer> expectedListenPorts() {
        return Set.of(10000);
    }
}
