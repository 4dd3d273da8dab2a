package org.ambassadord.plugin.etcd;

import java.time.Duration;

/**
 * Decides when a quiet watch needs a heartbeat and when it is dead.
 *
 * <p>A healthy watch may stay quiet for hours when nothing changes, and etcd's own progress
 * notifications come only every ten minutes by default. But after an etcd restart a jetcd
 * watch can stay open and never deliver again (etcd-io/jetcd#1209, #1227), and a frozen or
 * partitioned etcd keeps the TCP connection open without answering. So after a quiet period
 * the watcher sends a progress request, which etcd (3.4 and later) answers at once; a watch
 * that stays silent for another quiet period is replaced.
 *
 * <p>Not thread-safe: owned by one {@link EtcdWatcher} thread. Times are
 * {@link System#nanoTime()} values.
 */
final class QuietWatchCheck {

    /** What to do about the watch now. */
    enum Verdict { NOTHING, REQUEST_PROGRESS, REPLACE }

    private final long quietNanos;
    private long lastHeard;
    private boolean progressRequested;

    QuietWatchCheck(Duration quietPeriod) {
        this.quietNanos = quietPeriod.toNanos();
    }

    /** The watch was (re)started or delivered something: events, a progress notification. */
    void heard(long now) {
        lastHeard = now;
        progressRequested = false;
    }

    /** Called periodically; a {@link Verdict#REQUEST_PROGRESS} is given once per silence. */
    Verdict check(long now) {
        long quiet = now - lastHeard;
        if (quiet >= 2 * quietNanos) {
            return Verdict.REPLACE;
        }
        if (quiet >= quietNanos && !progressRequested) {
            progressRequested = true;
            return Verdict.REQUEST_PROGRESS;
        }
        return Verdict.NOTHING;
    }

    /** How long the watch has been silent, for the log. */
    Duration silence(long now) {
        return Duration.ofNanos(now - lastHeard);
    }
}
