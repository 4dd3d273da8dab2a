package org.ambassadord.core.fairness;

import java.time.Duration;
import java.util.Objects;

/**
 * What keeps one client or one endpoint from taking more than its share. Zero turns each off.
 *
 * @param maxConnectionsPerClient   open connections one client (source address) may hold
 * @param connectionRatePerClient   new connections per second one client may open; refused
 *                                  attempts count too, as HAProxy's {@code sc_conn_rate}
 * @param slowStart                 how long an endpoint new to the set or back from ejection
 *                                  ramps from 10 % to its full weight
 * @param maxConnectionsPerEndpoint open connections one endpoint gets; at the cap it is skipped,
 *                                  and when every endpoint is, connections wait in a FIFO
 * @param queueTimeout              how long a connection waits in that FIFO before it is refused
 */
public record FairnessSettings(int maxConnectionsPerClient, int connectionRatePerClient, Duration slowStart,
                               int maxConnectionsPerEndpoint, Duration queueTimeout) {

    public static final FairnessSettings OFF = new FairnessSettings(0, 0, Duration.ZERO, 0, Duration.ofSeconds(5));

    public FairnessSettings {
        Objects.requireNonNull(slowStart, "slowStart");
        Objects.requireNonNull(queueTimeout, "queueTimeout");
        if (maxConnectionsPerClient < 0) {
            throw new IllegalArgumentException("--max-connections-per-client [" + maxConnectionsPerClient + "] must be 0 (no cap) or more");
        }
        if (connectionRatePerClient < 0) {
            throw new IllegalArgumentException("--connection-rate-per-client [" + connectionRatePerClient + "] must be 0 (no limit) or more");
        }
        if (maxConnectionsPerEndpoint < 0) {
            throw new IllegalArgumentException("--max-connections-per-endpoint [" + maxConnectionsPerEndpoint + "] must be 0 (no cap) or more");
        }
        if (slowStart.isNegative() || queueTimeout.isNegative()) {
            throw new IllegalArgumentException("--slow-start and --queue-timeout must not be negative");
        }
    }

    /** Whether clients are counted at all: off, accepting costs nothing more. */
    public boolean limitsClients() {
        return maxConnectionsPerClient > 0 || connectionRatePerClient > 0;
    }
}
