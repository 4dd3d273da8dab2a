package org.ambassadord.core.cli;

import java.time.Duration;
import java.util.Optional;

import org.ambassadord.core.accesslog.AccessLog;
import org.ambassadord.core.admin.AdminServer;

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
            admin.ifPresent(AdminServer::close);
            accessLog.close();
            Logger.info("stopped: {}", server.stats());
            LoggingSetup.shutdown();
        }
    }
}
