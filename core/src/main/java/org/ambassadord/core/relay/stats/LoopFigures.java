package org.ambassadord.core.relay.stats;


/**
 * What one loop has counted and holds, read by the server for {@link RelayMetrics#sum} (any
 * thread; each figure is one volatile or adder read, so the set is near, not exactly, atomic).
 *
 * @param counters    the loop's counters
 * @param alive       whether its thread still runs
 * @param held        buffers and pipes its stalled directions hold now
 * @param spliced     bytes it moved with splice(2)
 * @param bufferWaits times a direction waited for a buffer at the memory ceiling
 */
public record LoopFigures(LoopCounters counters, boolean alive, long held, long spliced, long bufferWaits) {
}
