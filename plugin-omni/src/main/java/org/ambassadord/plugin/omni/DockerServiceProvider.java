package org.ambassadord.plugin.omni;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.ambassadord.plugin.omni.service.DockerServiceBackend;
import org.ambassadord.plugin.omni.service.SelfContainer;
import org.ambassadord.plugin.omni.service.ServiceSpec;
import org.ambassadord.spi.Backend;
import org.ambassadord.spi.BackendProvider;
import org.ambassadord.spi.BackendSpecException;
import org.ambassadord.spi.ProviderContext;

/**
 * Scheme {@code docker}: the containers of a Docker Compose service (or a Swarm service's
 * tasks, or a named container), healthy ones only, followed through the engine's events. It
 * shares omni mode's client, directory and events stream for the same engine.
 */
public final class DockerServiceProvider implements BackendProvider {

    /** Does nothing: the core instantiates every provider at start-up. */
    public DockerServiceProvider() {
    }

    @Override
    public String scheme() {
        return "docker";
    }

    @Override
    public String description() {
        return "docker://SERVICE[:PORT][?project=P&network=N&health=healthy|running&swarm&docker=URL]: the running,"
                + " healthy containers of a Compose (or Swarm) service";
    }

    @Override
    public Backend open(String spec, ProviderContext context) throws BackendSpecException {
        ServiceSpec service = ServiceSpec.parse(spec);
        String engine = service.docker().map(d -> "omni://?docker=" + URLEncoder.encode(d, StandardCharsets.UTF_8)).orElse("omni://");
        OmniSpec omni = OmniSpec.parse(engine, context.environment());
        EngineWatch watch = EngineWatch.acquire(omni);
        return new DockerServiceBackend(service, watch,
                SelfContainer.id(Path.of("/proc/self/mountinfo"), context.environment()), context);
    }
}
