package org.ambassadord.core.relay;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.ambassadord.core.accesslog.AccessLog;
import org.ambassadord.core.logging.RefusalLog;
import org.ambassadord.spi.Backend;
import org.ambassadord.spi.OriginalDestinationLookup;
import org.ambassadord.core.relay.endpoint.ConnectFailures;
import org.ambassadord.core.relay.endpoint.EndpointHealth;
import org.ambassadord.core.relay.endpoint.SelfEndpoints;

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
        SelfEndpoints self) {
}
