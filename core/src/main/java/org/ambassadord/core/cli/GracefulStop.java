package org.ambassadord.core.cli;

import java.time.Duration;
import java.util.Optional;

import org.ambassadord.core.accesslog.AccessLog;
import org.ambassadord.core.admin.AdminServer;

import org.ambassadord.spi.Backend;
import org.tinylog.Logger;
import org.ambassadord.core.relay.RelayServer;

/**
 * What SIGTERM does: stop accepting, let open connections finish for up to the drain
 * timeout, then close what is left and the backend. Runs on the JVM's shutdown hook thread.
 */
final class GracefulStop implements Runnable {

    private final RelayServer server;
    private final Backend backend;
    private final Duration drainTimeout;
    /** Kept up while draining, so that /readyz says 503 and /metrics shows the drain. */
    private final Optional<AdminServer> admin;
    private final AccessLog accessLog;

    GracefulStop(RelayServer server, Backend backend, Duration drainTimeout, Optional<AdminServer> admin,
                 AccessLog accessLog) {
        this.accessLog = accessLog;
        this.server = server;
        this.backend = backend;
        this.drainTimeout = drainTimeout;
        this.admin = admin;
    }

    /**
     * Closing the backend (watches, clients, omni's nested backends) gets this long after the
     * drain: stop then takes at most {@code --drain-timeout} + 1 s, inside {@code docker
     * stop}'s 10 s with the default 8 s drain. What is still closing is left to the exit.
     */
    static final Duration BACKEND_CLOSE_LIMIT = Duration.ofSeconds(1);

    private void closeBackendWithin(Duration limit) {
        Thread closer = new Thread(backend::close, "close-backend");
        closer.setDaemon(true);
        closer.start();
        try {
            closer.join(limit.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (closer.isAlive()) {
            Logger.warn("the backend did not close within {} ms; exiting anyway", limit.toMillis());
        }
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
            closeBackendWithin(BACKEND_CLOSE_LIMIT);
            admin.ifPresent(AdminServer::close);
            accessLog.close();
            Logger.info("stopped: {}", server.stats());
            LoggingSetup.shutdown();
        }
    }
}
