package org.ambassadord.plugin.etcd;

import java.time.Duration;

/**
 * Exponential backoff between reconnection attempts: the first pause, doubled per failure up
 * to a ceiling, back to the first after a success. Not thread-safe: owned by one
 * {@link EtcdWatcher} thread.
 */
final class Backoff {

    private final Duration initial;
    private final Duration max;
    private Duration next;

    Backoff(Duration initial, Duration max) {
        this.initial = initial;
        this.max = max;
        this.next = initial;
    }

    /** The pause before the next attempt; each call doubles the one after, up to the ceiling. */
    Duration next() {
        Duration pause = next;
        Duration doubled = next.multipliedBy(2);
        next = doubled.compareTo(max) > 0 ? max : doubled;
        return pause;
    }

    /** After a success the next failure starts with the first pause again. */
    void reset() {
        next = initial;
    }
}
