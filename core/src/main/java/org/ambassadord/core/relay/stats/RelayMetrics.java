package org.ambassadord.core.relay.stats;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The relay's counters summed over its loops at one moment, for the admin endpoint and the
 * drain report. Counts are monotonic; {@link #active()} is accepted minus closed.
 *
 * @param connectBuckets per {@link LoopCounters#BUCKETS} bound, then +Inf: connections whose
 *                       backend connect took that long (not cumulative)
 * @param busyNanos      time the loops spent handling events rather than waiting, summed
 * @param acceptPauses   times a listener paused at {@code --max-connections}
 * @param loops          how many loops there are
 * @param loopsAlive     how many of them still run
 * @param ejectedEndpoints endpoints skipped now after consecutive connect failures
 * @param ejections      ejections so far
 * @param heldByFlows    buffers and pipes held right now: the stalled directions
 * @param bytesSpliced   bytes moved kernel to kernel through pipes rather than buffers
 * @param bufferWaits    times a flow found its loop's buffers at their ceiling and waited
 * @param healthChecksPassed endpoints that accepted a {@code --health-check} probe
 * @param healthChecksFailed endpoints that refused it or did not answer in time
 */
public record RelayMetrics(
        long accepted,
        long relayed,
        long closed,
        long failed,
        Map<RefusalReason, Long> refused,
        long bytesClientToBackend,
        long bytesBackendToClient,
        long[] connectBuckets,
        double connectSumSeconds,
        long[] resolveBuckets,
        double resolveSumSeconds,
        long busyNanos,
        long acceptPauses,
        int loops,
        int loopsAlive,
        Map<String, Long> connectFailures,
        List<String> ejectedEndpoints,
        long ejections,
        long heldByFlows,
        long bytesSpliced,
        long bufferWaits,
        long healthChecksPassed,
        long healthChecksFailed) {

    /** The histograms' upper bounds in seconds, without +Inf. */
    public static List<Double> bucketBounds() {
        return java.util.Arrays.stream(LoopCounters.BUCKETS).boxed().toList();
    }

    public long active() {
        return accepted - closed;
    }

    public long refusedTotal() {
        return refused.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Every counter summed over the loops' figures, with the server's own. */
    public static RelayMetrics sum(List<LoopFigures> loops, Map<String, Long> connectFailures, List<String> ejected,
                            long ejections, long healthChecksPassed, long healthChecksFailed) {
        long[] totals = new long[LoopCounters.ACCEPT_PAUSES + 1];
        Map<RefusalReason, Long> refused = new EnumMap<>(RefusalReason.class);
        for (RefusalReason reason : RefusalReason.values()) {
            refused.put(reason, 0L);
        }
        long[] connect = new long[LoopCounters.BUCKETS.length + 1];
        long[] resolve = new long[LoopCounters.BUCKETS.length + 1];
        long connectSum = 0;
        long resolveSum = 0;
        int alive = 0;
        long held = 0;
        long spliced = 0;
        long bufferWaits = 0;
        for (LoopFigures loop : loops) {
            held += loop.held();
            spliced += loop.spliced();
            bufferWaits += loop.bufferWaits();
            LoopCounters counters = loop.counters();
            for (int i = 0; i < totals.length; i++) {
                totals[i] += counters.get(i);
            }
            for (RefusalReason reason : RefusalReason.values()) {
                refused.merge(reason, counters.refusedCount(reason), Long::sum);
            }
            for (int i = 0; i < connect.length; i++) {
                connect[i] += counters.connectDurations().bucket(i);
                resolve[i] += counters.resolveDurations().bucket(i);
            }
            connectSum += counters.connectDurations().sumNanos();
            resolveSum += counters.resolveDurations().sumNanos();
            alive += loop.alive() ? 1 : 0;
        }
        return new RelayMetrics(totals[LoopCounters.ACCEPTED], totals[LoopCounters.RELAYED], totals[LoopCounters.CLOSED],
                totals[LoopCounters.FAILED], Map.copyOf(refused), totals[LoopCounters.BYTES_UP],
                totals[LoopCounters.BYTES_DOWN], connect, connectSum / 1e9, resolve, resolveSum / 1e9,
                totals[LoopCounters.BUSY_NANOS], totals[LoopCounters.ACCEPT_PAUSES], loops.size(), alive, Map.copyOf(connectFailures), List.copyOf(ejected),
                ejections, held, spliced, bufferWaits, healthChecksPassed,
                healthChecksFailed);
    }
}
