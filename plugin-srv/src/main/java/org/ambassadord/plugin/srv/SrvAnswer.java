package org.ambassadord.plugin.srv;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * What one SRV look-up found: the usable entries sorted by priority, how long the answer may
 * be cached, and, when there are no entries, why.
 *
 * <p>Immutable; the cache publishes one instance at a time to the event loop threads.
 *
 * @param entries  usable entries (targets with addresses), lowest priority first
 * @param ttl      how long to serve this answer before asking again
 * @param refusal  why connections are refused; empty when {@code entries} is not empty
 */
record SrvAnswer(List<SrvEntry> entries, Duration ttl, String refusal) {

    SrvAnswer {
        entries = entries.stream().sorted(Comparator.comparingInt(SrvEntry::priority)).toList();
        Objects.requireNonNull(ttl, "ttl");
        Objects.requireNonNull(refusal, "refusal");
        if (entries.isEmpty() == refusal.isEmpty()) {
            throw new IllegalArgumentException("an answer has either entries or a refusal");
        }
    }

    /** An answer with backends. */
    static SrvAnswer of(List<SrvEntry> entries, Duration ttl) {
        return new SrvAnswer(entries, ttl, "");
    }

    /** An answer without backends: the service does not exist or has no usable target. */
    static SrvAnswer none(String refusal, Duration ttl) {
        return new SrvAnswer(List.of(), ttl, refusal);
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }
}
