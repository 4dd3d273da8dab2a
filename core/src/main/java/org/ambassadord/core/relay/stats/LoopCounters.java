package org.ambassadord.core.relay.stats;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One loop's counters. Written by that loop's thread only, so an update is a plain read and
 * an ordered write (no compare-and-set, no contended cache line shared with the other
 * loops); the admin endpoint reads every loop's counters and sums them when scraped.
 */
public final class LoopCounters {

    /** Upper bounds, in seconds, of the connect and resolve duration histograms. */
    static final double[] BUCKETS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    private static final long[] BUCKET_NANOS = new long[BUCKETS.length];

    static {
        for (int i = 0; i < BUCKETS.length; i++) {
            BUCKET_NANOS[i] = (long) (BUCKETS[i] * 1e9);
        }
    }

    // Indexes into the counter array.
    public static final int ACCEPTED = 0;
    public static final int RELAYED = 1;
    public static final int CLOSED = 2;
    public static final int FAILED = 3;
    public static final int BYTES_UP = 4;
    public static final int BYTES_DOWN = 5;
    public static final int BUSY_NANOS = 6;
    public static final int ACCEPT_PAUSES = 7;
    private static final int REFUSED = 8;
    private static final int SIZE = REFUSED + RefusalReason.values().length;

    private final AtomicLongArray counts = new AtomicLongArray(SIZE);
    private final Histogram connect = new Histogram();
    private final Histogram resolve = new Histogram();

    /** Loop thread only. */
    public void add(int counter, long amount) {
        counts.lazySet(counter, counts.get(counter) + amount);
    }

    public void increment(int counter) {
        add(counter, 1);
    }

    public void refused(RefusalReason reason) {
        increment(REFUSED + reason.ordinal());
    }

    public void connectTook(long nanos) {
        connect.observe(nanos);
    }

    public void resolveTook(long nanos) {
        resolve.observe(nanos);
    }

    /** Any thread: the value as last written. */
    public long get(int counter) {
        return counts.get(counter);
    }

    long refusedCount(RefusalReason reason) {
        return counts.get(REFUSED + reason.ordinal());
    }

    Histogram connectDurations() {
        return connect;
    }

    Histogram resolveDurations() {
        return resolve;
    }

    /** Counts per bucket (not cumulative; the last one is +Inf) and the sum, single writer. */
    static final class Histogram {
        private final AtomicLongArray buckets = new AtomicLongArray(BUCKETS.length + 1);
        private volatile long sumNanos;

        void observe(long nanos) {
            int bucket = 0;
            while (bucket < BUCKET_NANOS.length && nanos > BUCKET_NANOS[bucket]) {
                bucket++;
            }
            buckets.lazySet(bucket, buckets.get(bucket) + 1);
            sumNanos = sumNanos + nanos;
        }

        long bucket(int index) {
            return buckets.get(index);
        }

        long sumNanos() {
            return sumNanos;
        }
    }
}
