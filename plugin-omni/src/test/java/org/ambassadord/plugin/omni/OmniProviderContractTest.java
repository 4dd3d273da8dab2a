package org.ambassadord.plugin.omni;

import java.util.List;
import java.util.Set;

import org.ambassadord.spi.BackendProvider;
import org.ambassadord.spi.testkit.BackendProviderContract;

/** The provider contract for {@code omni}; the valid spec names an engine that does not exist. */
class OmniProviderContractTest extends BackendProviderContract {

    @Override
    protected BackendProvider provider() {
        return new OmniBackendProvider();
    }

    @Override
    protected String validSpec() {
        return "omni://?docker=unix:///nonexistent/docker.sock";
    }

    @Override
    protected List<BadSpec> badSpecs() {
        return List.of(
                new BadSpec("omni://somehost:2375", "omni mode takes no host or path"),
                new BadSpec("omni://?dockr=unix:///var/run/docker.sock", "unknown parameter [dockr]"),
                new BadSpec("omni://?docker=ftp://host", "must start with unix:// or tcp://"),
                new BadSpec("omni://?docker=unix://", "Docker endpoint [unix://] from parameter docker is not a URI"),
                new BadSpec("omni://?docker=unix:docker.sock", "names no socket path"),
                new BadSpec("omni://?docker=tcp://host", "needs host and port"),
                new BadSpec("omni://?docker=%", "parameter docker of [omni://?docker=%] has a broken %-escape"),
                new BadSpec("omni://?docker=%zz", "has a broken %-escape"),
                new BadSpec("etcd://host/path", "is not an omni spec"));
    }

    @Override
    protected Set<Integer> expectedListenPorts() {
        return Set.of(10000);
    }
}
