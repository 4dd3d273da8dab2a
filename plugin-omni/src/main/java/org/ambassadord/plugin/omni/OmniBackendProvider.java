package org.ambassadord.plugin.omni;

import org.ambassadord.spi.Backend;
import org.ambassadord.spi.BackendProvider;
import org.ambassadord.spi.BackendSpecException;
import org.ambassadord.spi.ProviderContext;
import org.tinylog.Logger;

/**
 * Scheme {@code omni}: the backend of {@code --omnimode}. The spec is {@code omni://}, or
 * {@code omni://?docker=unix:///path/docker.sock} to name the engine; otherwise
 * {@code DOCKER_HOST} from the environment, else {@code unix:///var/run/docker.sock}.
 *
 * <p>Opening starts following the engine in the background and does not wait for it to
 * answer: a relay started before its engine serves once the engine is reachable.
 */
public final class OmniBackendProvider implements BackendProvider {

    /** Does nothing: the core instantiates every provider at start-up. */
    public OmniBackendProvider() {
    }

    @Override
    public String scheme() {
        return "omni";
    }

    @Override
    public String description() {
        return "omni://[?docker=unix:///var/run/docker.sock] (--omnimode): each client container names its backend"
                + " in BACKEND_<port> or label connect.<port>";
    }

    @Override
    public Backend open(String spec, ProviderContext context) throws BackendSpecException {
        OmniSpec omni = OmniSpec.parse(spec, context.environment());
        // Bind getsockopt now, on this opening thread, not on the event loop's first connection.
        if (!NativeSockets.available()) {
            Logger.warn("omni: SO_ORIGINAL_DST cannot be read here; every connection will be refused");
        }
        EngineWatch watch = EngineWatch.acquire(omni);
        NestedBackends nested = new NestedBackends(context);
        return new OmniBackend(watch, nested);
    }
}
