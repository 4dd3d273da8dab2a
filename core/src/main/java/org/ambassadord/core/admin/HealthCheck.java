package org.ambassadord.core.admin;

import java.util.Optional;
import org.ambassadord.core.relay.stats.RelayMetrics;


/**
 * {@code /healthz} and {@code /readyz}. Healthy: every event loop runs and every listener is
 * open — a dead loop would leave its listener accepting connections nobody serves, which
 * is what a supervisor must learn. Ready: healthy, and the backend has its first answer.
 */
final class HealthCheck {

    private final AdminSources sources;

    HealthCheck(AdminSources sources) {
        this.sources = sources;
    }

    /** Why the process is unhealthy, or empty when it is healthy. */
    Optional<String> unhealthy() {
        RelayMetrics metrics = sources.relay().metrics();
        if (metrics.loopsAlive() < metrics.loops()) {
            return Optional.of((metrics.loops() - metrics.loopsAlive()) + " of " + metrics.loops()
                    + " event loops died; connections to their listeners are not served");
        }
        if (!sources.relay().isListening()) {
            return Optional.of("the listeners are closed (draining or stopped)");
        }
        return Optional.empty();
    }

    /** Why the process is not ready, or empty when it is. */
    Optional<String> notReady() {
        Optional<String> unhealthy = unhealthy();
        if (unhealthy.isPresent()) {
            return unhealthy;
        }
        if (!sources.backend().isReady()) {
            return Optional.of("backend [" + sources.backend().spec() + "] has no first answer yet");
        }
        return Optional.empty();
    }
}
