package org.ambassadord.plugin.consul;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff between failed reads: the delay doubles from {@code initial} up to
 * {@code max}, and each delay is drawn from its upper half so that many ambassadors whose
 * Consul went away together do not come back in lockstep.
 *
 * <p>Used by the watcher thread only; not thread-safe.
 */
final class Backoff {

    private final long initialMillis;
    private final long maxMillis;
    private long nextMillis;

    Backoff(Duration initial, Duration max) {
        this.initialMillis = initial.toMillis();
        this.maxMillis = max.toMillis();
        this.nextMillis = initialMillis;
    }

    /** The delay before the next attempt; each call doubles the one after (up to the max). */
    Duration next() {
        long ceiling = nextMillis;
        nextMillis = Math.min(maxMillis, nextMillis * 2);
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1));
    }

    /** Starts over after a success. */
    void reset() {
        nextMillis = initialMillis;
    }
}
