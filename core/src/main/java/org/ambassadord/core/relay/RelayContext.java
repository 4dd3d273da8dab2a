package org.ambassadord.core.relay;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import java.util.function.ToIntFunction;

import org.ambassadord.core.accesslog.AccessLog;
import org.ambassadord.core.fairness.Fairness;
import org.ambassadord.core.logging.RefusalLog;
import org.ambassadord.spi.Backend;
import org.ambassadord.spi.OriginalDestinationLookup;
import org.ambassadord.core.relay.endpoint.ConnectFailures;
import org.ambassadord.core.relay.endpoint.EndpointAttempts;
import org.ambassadord.core.relay.endpoint.EndpointHealth;
import org.ambassadord.core.relay.endpoint.SelfEndpoints;
import org.ambassadord.core.relay.endpoint.SmoothWeightedTurns;
import org.ambassadord.core.relay.socket.Addresses;
import org.ambassadord.core.relay.socket.Channels;
import org.tinylog.Logger;

/**
 * What every relay of one server shares: the backend, the policies, the failure counts and
 * the rate-limited refusal log.
 * Immutable apart from the counts, so loops read it without locks.
 */
record RelayContext(
        Backend backend,
        RelaySettings settings,
        Optional<OriginalDestinationLookup> originalDestinations,
        ConnectFailures connectFailures,
        EndpointHealth health,
        java.util.function.LongSupplier activeConnections,
        RefusalLog refusals,
        AccessLog accessLog,
        AtomicInteger balanceTurn,
        SmoothWeightedTurns smoothTurns,
        SelfEndpoints self,
        Fairness fairness) {

    /** A connect to an endpoint failed: counted per endpoint, told to the ejection rule, logged at debug. */
    void connectFailed(InetSocketAddress client, InetSocketAddress endpoint, Exception error) {
        connectFailures.failed(endpoint);
        health.failed(endpoint, System.nanoTime());
        if (Logger.isDebugEnabled()) {
            Logger.debug("connect {} -> {} failed: {}", Addresses.format(client), Addresses.format(endpoint),
                    Channels.reason(error));
        }
    }

    /**
     * The order a connection tries endpoints in: the backend's own (SRV priorities) or the
     * balance policy's (weights ramped by slow start, least-conn reading the open connections),
     * without the ejected ones and those at {@code --max-connections-per-endpoint}, within
     * {@code --max-attempts}.
     *
     * @param found      the backend's answer, without this ambassador's own listeners
     * @param batchNanos the loop's time now, as health checks read it
     */
    EndpointAttempts attemptsFor(List<InetSocketAddress> found, long batchNanos) {
        List<InetSocketAddress> ordered;
        if (backend.ordersEndpoints()) {
            ordered = found;
        } else {
            if (!backend.needsOriginalDestination()) {
                fairness.answered(found, batchNanos);
            }
            ToIntFunction<InetSocketAddress> weight = fairness.adjustsWeights()
                    ? endpoint -> fairness.weight(backend.weightOf(endpoint), endpoint, batchNanos)
                    : backend::weightOf;
            ordered = settings.balance().arrange(found, balanceTurn, weight, smoothTurns, fairness.load()::openTo);
        }
        // At its cap, an endpoint is skipped for the next one without using up an attempt;
        // when all are, the connect finds each at its cap and the connection waits in line.
        List<InetSocketAddress> belowCap = fairness.belowCap(ordered);
        if (!belowCap.isEmpty()) {
            ordered = belowCap;
        }
        return new EndpointAttempts(health.usable(ordered, batchNanos), settings.limits().maxAttempts(),
                settings.limits().connectDeadline());
    }
}
