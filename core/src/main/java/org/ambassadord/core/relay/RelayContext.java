package org.ambassadord.core.relay;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.ambassadord.spi.Backend;
import org.ambassadord.spi.OriginalDestinationLookup;

/**
 * What every relay of one server shares: the backend, the policies and the counters.
 * Immutable apart from the counters, so loops read it without locks.
 */
record RelayContext(
        Backend backend,
        RelaySettings settings,
        Optional<OriginalDestinationLookup> originalDestinations,
        RelayStats stats,
        AtomicInteger balanceTurn) {
}
