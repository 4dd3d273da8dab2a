package org.ambassadord.core.fairness;

/**
 * Connections per second over a sliding second, as HAProxy's frequency counters: the count of
 * the current second plus the previous second's, weighted by how much of it the sliding window
 * still covers. Two integers per client, no history kept. Not thread-safe: its owner locks.
 */
final class ConnectionRate {

    private static final long SECOND_NANOS = 1_000_000_000L;

    private long periodStartNanos;
    private int current;
    private int previous;

    ConnectionRate(long nowNanos) {
        periodStartNanos = nowNanos;
    }

    /** Counts one attempt now and returns the rate including it. */
    int hit(long nowNanos) {
        roll(nowNanos);
        current++;
        return estimate(nowNanos);
    }

    int estimate(long nowNanos) {
        roll(nowNanos);
        long elapsed = nowNanos - periodStartNanos;
        return current + (int) (previous * (SECOND_NANOS - elapsed) / SECOND_NANOS);
    }

    private void roll(long nowNanos) {
        long elapsed = nowNanos - periodStartNanos;
        if (elapsed < SECOND_NANOS) {
            return;
        }
        previous = elapsed < 2 * SECOND_NANOS ? current : 0;
        current = 0;
        periodStartNanos = elapsed < 2 * SECOND_NANOS ? periodStartNanos + SECOND_NANOS : nowNanos;
    }
}
