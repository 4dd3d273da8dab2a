package org.ambassadord.core.relay.stats;

import java.util.function.Consumer;

import org.ambassadord.core.accesslog.AccessLog;
import org.ambassadord.core.logging.RefusalLog;

/**
 * Who hears about the relay's connections and its health.
 *
 * @param refusals    refused and failed connections, rate-limited
 * @param accessLog   every closed connection
 * @param onLoopDeath told once, with the reason, when an event loop stops other than by
 *                    shutdown (a fatal JVM error): the command line exits then, so that a
 *                    supervisor restarts the process rather than leave a listener unserved
 */
public record RelayObservers(RefusalLog refusals, AccessLog accessLog, Consumer<String> onLoopDeath) {

    /** Refusals logged, no access log, a dead loop only logged (and shown by /healthz). */
    public static RelayObservers quiet() {
        return new RelayObservers(new RefusalLog(), AccessLog.OFF, reason -> { });
    }
}
