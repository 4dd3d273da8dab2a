package org.ambassadord.core.relay;

import java.time.Duration;
import java.util.Objects;

/**
 * Deadlines and caps of relayed connections.
 *
 * @param idleTimeout      a relayed connection with no byte either way for this long is
 *                         closed; zero for never (default 1 h, as Envoy's TCP proxy)
 * @param halfCloseTimeout once one side ended, the connection is closed when the other has
 *                         been quiet this long; zero for never (default 1 min)
 * @param tcpKeepalive     TCP keepalive idle time on both sockets, so that a peer that
 *                         vanished (host gone, NAT entry dropped) is noticed; zero for off
 * @param maxConnections   open connections at most; accepting pauses at the cap; zero for none
 * @param maxAttempts      endpoints one connection tries at most
 * @param ejectAfter       consecutive connect failures that eject an endpoint; zero for never
 * @param connectDeadline  no further endpoint is tried once this long has passed since the
 *                         first connect attempt (checked between attempts)
 * @param healthCheck      how often every endpoint the backend names is probed with a TCP
 *                         connect, feeding the same ejection as clients' failures; zero for
 *                         off (the default: endpoints are learned from clients' connects)
 */
public record RelayLimits(Duration idleTimeout, Duration halfCloseTimeout, Duration tcpKeepalive, int maxConnections,
                          int maxAttempts, int ejectAfter, Duration connectDeadline,
                          Duration healthCheck) {

    public static final RelayLimits DEFAULTS = new RelayLimits(Duration.ofHours(1), Duration.ofMinutes(1),
            Duration.ofMinutes(2), 0, 3, 3, Duration.ofSeconds(15), Duration.ZERO);

    public RelayLimits {
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(halfCloseTimeout, "halfCloseTimeout");
        Objects.requireNonNull(tcpKeepalive, "tcpKeepalive");
        Objects.requireNonNull(connectDeadline, "connectDeadline");
        Objects.requireNonNull(healthCheck, "healthCheck");
        if (maxConnections < 0) {
            throw new IllegalArgumentException("--max-connections [" + maxConnections + "] must be 0 (no cap) or more");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("--max-attempts [" + maxAttempts + "] must be at least 1");
        }
        if (ejectAfter < 0) {
            throw new IllegalArgumentException("--eject-after [" + ejectAfter + "] must be 0 (never) or more");
        }
        if (!tcpKeepalive.isZero() && tcpKeepalive.toSeconds() < 1) {
            throw new IllegalArgumentException("--tcp-keepalive [" + tcpKeepalive.toMillis() + "ms] must be 0 or at least 1s");
        }
    }

    public RelayLimits withIdleTimeout(Duration timeout) {
        return new RelayLimits(timeout, halfCloseTimeout, tcpKeepalive, maxConnections, maxAttempts, ejectAfter, connectDeadline, healthCheck);
    }

    public RelayLimits withHalfCloseTimeout(Duration timeout) {
        return new RelayLimits(idleTimeout, timeout, tcpKeepalive, maxConnections, maxAttempts, ejectAfter, connectDeadline, healthCheck);
    }

    public RelayLimits withMaxConnections(int max) {
        return new RelayLimits(idleTimeout, halfCloseTimeout, tcpKeepalive, max, maxAttempts, ejectAfter, connectDeadline, healthCheck);
    }

    public RelayLimits withConnectDeadline(Duration deadline) {
        return new RelayLimits(idleTimeout, halfCloseTimeout, tcpKeepalive, maxConnections, maxAttempts, ejectAfter,
                deadline, healthCheck);
    }

    public RelayLimits withEjectAfter(int failures) {
        return new RelayLimits(idleTimeout, halfCloseTimeout, tcpKeepalive, maxConnections, maxAttempts, failures, connectDeadline, healthCheck);
    }

    public RelayLimits withHealthCheck(Duration interval) {
        return new RelayLimits(idleTimeout, halfCloseTimeout, tcpKeepalive, maxConnections, maxAttempts, ejectAfter,
                connectDeadline, interval);
    }
}
