package org.ambassadord.core.relay.stats;

import java.util.function.Supplier;

/**
 * The relay's main counters for the drain report and tests, read from the loops' own
 * counters (see {@link LoopCounters}) when asked.
 */
public final class RelayStats {

    private final Supplier<RelayMetrics> metrics;
    /** The open count alone, without summing every counter (the drain polls it). */
    private final java.util.function.LongSupplier active;

    public RelayStats(Supplier<RelayMetrics> metrics, java.util.function.LongSupplier active) {
        this.metrics = metrics;
        this.active = active;
    }

    public long accepted() {
        return metrics.get().accepted();
    }

    public long relayed() {
        return metrics.get().relayed();
    }

    /** No endpoint for the client (backend refused, returned none, or none was allowed). */
    public long refused() {
        return metrics.get().refusedTotal();
    }

    /** Endpoints known, but none of them accepted the connection. */
    public long failed() {
        return metrics.get().failed();
    }

    public long active() {
        return active.getAsLong();
    }

    public long bytesUp() {
        return metrics.get().bytesClientToBackend();
    }

    public long bytesDown() {
        return metrics.get().bytesBackendToClient();
    }

    @Override
    public String toString() {
        RelayMetrics now = metrics.get();
        return "accepted=" + now.accepted() + " relayed=" + now.relayed() + " refused=" + now.refusedTotal()
                + " failed=" + now.failed() + " active=" + now.active() + " bytesUp=" + now.bytesClientToBackend()
                + " bytesDown=" + now.bytesBackendToClient();
    }
}
