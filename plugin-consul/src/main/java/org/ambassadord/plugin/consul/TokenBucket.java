package org.ambassadord.plugin.consul;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Paces the blocking queries. A blocking query may return without a change (an idempotent
 * write, a moved index), and a misbehaving index can make it return at once every time;
 * Consul's documentation asks clients to rate-limit rather than spin. A small burst keeps
 * two changes in a row prompt.
 *
 * <p>Used by the watcher thread only; not thread-safe.
 */
final class TokenBucket {

    private final int capacity;
    private final long refillNanos;
    private final LongSupplier clock;
    private double tokens;
    private long lastRefill;

    /**
     * @param capacity    the burst size
     * @param refillEvery one token comes back per this interval
     * @param clock       {@link System#nanoTime()} or a test clock
     */
    TokenBucket(int capacity, Duration refillEvery, LongSupplier clock) {
        this.capacity = capacity;
        this.refillNanos = refillEvery.toNanos();
        this.clock = clock;
        this.tokens = capacity;
        this.lastRefill = clock.getAsLong();
    }

    /** Takes a token and returns how long to wait before using it, in nanoseconds (0 = go). */
    long reserve() {
        long now = clock.getAsLong();
        tokens = Math.min(capacity, tokens + (double) (now - lastRefill) / refillNanos);
        lastRefill = now;
        tokens -= 1;
        return tokens >= 0 ? 0 : (long) Math.ceil(-tokens * refillNanos);
    }

    /** Takes a token, sleeping until it is available. */
    void acquire() throws InterruptedException {
        long waitNanos = reserve();
        if (waitNanos > 0) {
            TimeUnit.NANOSECONDS.sleep(waitNanos);
        }
    }
}
