package org.ambassadord.plugin.srv;

import java.time.Duration;
import java.util.HashSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.tinylog.Logger;

/**
 * Keeps the current {@link SrvAnswer} of one SRV name fresh in the background and hands it
 * to the event loop without blocking.
 *
 * <p>Life cycle: {@link #start()} schedules the first look-up at once; each look-up, when it
 * ends, schedules the next one:
 * <ul>
 * <li>an answer with entries replaces the current answer; next look-up after its TTL;</li>
 * <li>an answer without entries (NXDOMAIN, no records, target ".") replaces it too, so
 *     connections are refused while the service does not exist; next look-up after the
 *     negative TTL;</li>
 * <li>a failed look-up (time-out, SERVFAIL, server down) keeps the last answer; retries back
 *     off from {@link #FIRST_RETRY} to {@link #MAX_RETRY}. Only the first failure of a
 *     streak is logged as a warning. Before any answer arrived, connections are refused
 *     with the failure's message.</li>
 * </ul>
 * Only one look-up runs at a time, so the refresh chain needs no locking beyond the monitor
 * that publishes its bookkeeping between the threads it runs on.
 *
 * <p>Threads: {@link #answer()} is called on event loop threads and only reads a volatile
 * field; everything else runs on the scheduler.
 */
final class SrvAnswerCache implements AutoCloseable {

    static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    static final Duration MAX_RETRY = Duration.ofSeconds(30);

    private final String displayName;
    private final Supplier<CompletionStage<SrvAnswer>> lookup;
    private final ScheduledExecutorService scheduler;
    /** Completed with the outcome of the first look-up; answers connections that arrive before it. */
    private final CompletableFuture<SrvAnswer> first = new CompletableFuture<>();
    /** The answer served now; null until the first look-up ended. */
    private volatile SrvAnswer current;

    /** The current answer, or null before the first. Any thread. */
    SrvAnswer current() {
        return current;
    }

    /** Whether a first answer (or a first refusal, such as NXDOMAIN) has arrived. */
    boolean hasAnswer() {
        return current != null;
    }

    // Guarded by this.
    private boolean closed;
    private boolean answered;
    private int failureStreak;
    private ScheduledFuture<?> next;

    /**
     * @param displayName the SRV name, for logs
     * @param lookup      starts one look-up; called on the scheduler
     * @param scheduler   runs the refresh chain; shared, so tasks only start look-ups
     */
    SrvAnswerCache(String displayName, Supplier<CompletionStage<SrvAnswer>> lookup, ScheduledExecutorService scheduler) {
        this.displayName = displayName;
        this.lookup = lookup;
        this.scheduler = scheduler;
    }

    /** Starts the refresh chain. */
    void start() {
        schedule(Duration.ZERO);
    }

    /**
     * The answer to serve: completed at once once the first look-up ended, otherwise a
     * stage completed when it ends. Never blocks; safe on the event loop.
     */
    CompletionStage<SrvAnswer> answer() {
        SrvAnswer answer = current;
        return answer != null ? CompletableFuture.completedFuture(answer) : first;
    }

    /** Failed look-ups since the last answer; for diagnostics and tests. */
    synchronized int failureStreak() {
        return failureStreak;
    }

    /** Stops refreshing; connections still waiting for the first answer are refused. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            if (next != null) {
                next.cancel(false);
            }
        }
        first.completeExceptionally(new IllegalStateException("SRV backend [" + displayName + "] is closed"));
    }

    private void refresh() {
        CompletionStage<SrvAnswer> pending;
        try {
            pending = lookup.get();
        } catch (RuntimeException e) {
            pending = CompletableFuture.failedFuture(e);
        }
        // Continue on the scheduler, not on dnsjava's selector thread that completed the query.
        pending.whenCompleteAsync((answer, failure) -> {
            Duration delay = failure == null ? accept(answer) : reject(failure);
            // Outside the monitor: completing runs the waiting connections' callbacks.
            first.complete(current);
            schedule(delay);
        }, scheduler);
    }

    /** Publishes an answer; returns when to look again. */
    private synchronized Duration accept(SrvAnswer answer) {
        SrvAnswer previous = current;
        if (failureStreak > 0) {
            Logger.info("SRV look-up of [{}] works again after {} failed attempt(s)", displayName, failureStreak);
            failureStreak = 0;
        }
        if (answer.isEmpty()) {
            if (previous == null || !answered || !answer.refusal().equals(previous.refusal())) {
                Logger.warn("refusing connections for [{}]: {}", displayName, answer.refusal());
            }
        } else if (previous == null || !answered || !sameEntries(previous, answer)) {
            Logger.info("[{}] has {} target(s): {}", displayName, answer.entries().size(), answer.entries());
        }
        answered = true;
        current = answer;
        return answer.ttl();
    }

    /** Keeps the last answer after a failed look-up; returns when to try again. */
    private synchronized Duration reject(Throwable failure) {
        failureStreak++;
        String reason = DnsLookupException.describe(failure);
        if (!answered) {
            current = SrvAnswer.none("no DNS answer for [" + displayName + "] yet: " + reason, FIRST_RETRY);
        }
        if (failureStreak == 1) {
            SrvAnswer kept = current;
            Logger.warn("SRV look-up of [{}] failed: {}; {}", displayName, reason,
                    !answered ? "refusing connections until a look-up succeeds"
                            : kept.isEmpty() ? "the service stays unavailable"
                            : "serving the last answer (" + kept.entries().size() + " target(s)) until a look-up succeeds");
        } else {
            Logger.debug("SRV look-up of [{}] failed again ({} in a row): {}", displayName, failureStreak, reason);
        }
        long backoff = FIRST_RETRY.toMillis() << Math.min(failureStreak - 1, 16);
        return Duration.ofMillis(Math.min(backoff, MAX_RETRY.toMillis()));
    }

    private static boolean sameEntries(SrvAnswer a, SrvAnswer b) {
        return new HashSet<>(a.entries()).equals(new HashSet<>(b.entries()));
    }

    private synchronized void schedule(Duration delay) {
        if (closed) {
            return;
        }
        try {
            next = scheduler.schedule(this::refresh, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // The host's scheduler is shutting down: the process is ending, so is the refresh.
            Logger.debug("SRV refresh of [{}] stopped: scheduler shut down", displayName);
        }
    }
}
