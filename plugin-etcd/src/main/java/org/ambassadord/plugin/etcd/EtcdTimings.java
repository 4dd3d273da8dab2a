package org.ambassadord.plugin.etcd;

import java.time.Duration;
import java.util.Objects;

/**
 * How patient the etcd backend is. Production uses {@link #DEFAULTS}; tests shorten them to
 * see outages and silent watches within seconds.
 *
 * @param requestTimeout  how long one read (a range request) may take before it counts as failed
 * @param initialBackoff  the first pause before reconnecting after a failure; doubled per failure
 * @param maxBackoff      the longest pause between reconnection attempts
 * @param quietPeriod     how long a watch may be silent before a progress request is sent; if
 *                        that stays unanswered for another quiet period, the watch is
 *                        considered dead (etcd-io/jetcd#1209, #1227) and replaced
 * @param resyncInterval  how often the whole path is read again even when the watch looks
 *                        healthy; this also re-resolves host names in the values
 * @param firstReadWait   how long a connection that arrives before the first read waits for it
 */
record EtcdTimings(
        Duration requestTimeout,
        Duration initialBackoff,
        Duration maxBackoff,
        Duration quietPeriod,
        Duration resyncInterval,
        Duration firstReadWait) {

    /** Production values. */
    static final EtcdTimings DEFAULTS = new EtcdTimings(
            Duration.ofSeconds(5),
            Duration.ofMillis(500),
            Duration.ofSeconds(10),
            Duration.ofSeconds(15),
            Duration.ofMinutes(5),
            Duration.ofSeconds(5));

    EtcdTimings {
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(quietPeriod, "quietPeriod");
        Objects.requireNonNull(resyncInterval, "resyncInterval");
        Objects.requireNonNull(firstReadWait, "firstReadWait");
    }
}
