package org.ambassadord.plugin.etcd;

import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.etcd.jetcd.Client;

/**
 * Builds the jetcd clients an {@link EtcdWatcher} talks through.
 *
 * <p>Building a client does no network I/O: jetcd connects on the first request.
 */
final class EtcdClients {

    /**
     * gRPC keepalive pings find a connection whose peer vanished without a reset (a crashed
     * host, a dropped NAT entry). etcd refuses pings more often than every 5 s
     * ({@code --grpc-keepalive-min-time}) and pings without an open stream, hence 10 s and
     * no pings while idle; the watch stream is always open anyway.
     */
    private static final Duration KEEPALIVE_TIME = Duration.ofSeconds(10);
    private static final Duration KEEPALIVE_TIMEOUT = Duration.ofSeconds(5);

    /**
     * gRPC logs through java.util.logging, which nobody routes to tinylog: without this its
     * INFO lines ("Epoll available during static init of TcpMetrics") reach stderr in JUL's
     * two-line format. Warnings and errors still show. A static field because JUL keeps
     * loggers weakly, and a collected logger forgets its level.
     */
    private static final Logger GRPC_LOGGER = Logger.getLogger("io.grpc");

    static {
        GRPC_LOGGER.setLevel(Level.WARNING);
    }

    private EtcdClients() {
    }

    /**
     * A new client for one etcd endpoint.
     *
     * <p>One endpoint per client, as an {@code http://host:port} target, rather than jetcd's
     * list of endpoints: jetcd 0.8.7 builds an {@code ip:///host:port,...} target for a list,
     * and its resolver splits that at every ':' (an IPv6 literal breaks it) and resolves host
     * names once for the client's lifetime. The {@code http} resolver takes {@code [v6]:port}
     * and resolves the name on every reconnect. {@link EtcdWatcher} moves on to the next
     * endpoint itself when one fails.
     */
    static Client connect(HostPort endpoint, EtcdTimings timings) {
        return connect(endpoint, timings, EtcdAccess.PLAIN);
    }

    /** The same with TLS and a user when {@code access} has them ({@code https} target then). */
    static Client connect(HostPort endpoint, EtcdTimings timings, EtcdAccess access) {
        return access.apply(Client.builder())
                .target((access.tls() ? "https://" : "http://") + endpoint)
                .connectTimeout(timings.requestTimeout())
                // Fail fast while the channel is down instead of queueing requests until etcd
                // is back: the watcher retries with its own backoff and keeps serving meanwhile.
                .waitForReady(false)
                // No retries inside jetcd: the watcher retries with backoff and serves meanwhile,
                // and a read that jetcd retried for seconds would only hide the outage.
                .retryMaxAttempts(0)
                .keepaliveTime(KEEPALIVE_TIME)
                .keepaliveTimeout(KEEPALIVE_TIMEOUT)
                .keepaliveWithoutCalls(false)
                .build();
    }
}
