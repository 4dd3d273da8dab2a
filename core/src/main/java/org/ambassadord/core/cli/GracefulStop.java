package org.ambassadord.core.cli;

import java.time.Duration;

import org.ambassadord.core.relay.RelayServer;
import org.ambassadord.spi.Backend;
import org.tinylog.Logger;

/**
 * What SIGTERM does: stop accepting, let open connections finish for up to the drain
 * timeout, then close what is left and the backend. Runs on the JVM's shutdown hook thread.
 */
final class GracefulStop implements Runnable {

    private final RelayServer server;
    private final Backend backend;
    private final Duration drainTimeout;

    GracefulStop(RelayServer server, Backend backend, Duration drainTimeout) {
        this.server = server;
        this.backend = backend;
        this.drainTimeout = drainTimeout;
    }

    @Override
    public void run() {
        try {
            long open = server.stats().active();
            Logger.info("stopping: no new connections; draining {} open for up to {} ms", open, drainTimeout.toMillis());
            boolean drained = server.drain(drainTimeout);
            if (!drained) {
                Logger.warn("drain timeout: closing {} connections still open", server.stats().active());
            }
            server.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            backend.close();
            Logger.info("stopped: {}", server.stats());
            LoggingSetup.shutdown();
        }
    }
}
