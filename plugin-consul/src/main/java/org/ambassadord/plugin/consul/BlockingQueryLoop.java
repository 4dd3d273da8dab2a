package org.ambassadord.plugin.consul;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.tinylog.Logger;

/**
 * The blocking-query loop both Consul schemes share: read with the last index, apply Consul's
 * index rules (reset when it goes backwards, at least 1), hand the answer to the subclass, and
 * read again, paced by a token bucket so that an agent answering at once is never a spin; after
 * a failure reset the index, keep serving the last set, log the first failure of a streak and
 * retry with backoff. Counts queries, failures and index resets.
 *
 * <p><b>Threading.</b> {@link #run()} is the body of the backend's own daemon thread, the only
 * thread that touches the index, the pacing and the subclass's state. {@link #stop()} may be
 * called from any thread; the caller then closes the reader, which aborts a query in
 * progress, and interrupts the thread, which ends a sleep.
 *
 * @param <R> one answer
 */
abstract class BlockingQueryLoop<R> implements Runnable {

    /** Burst of two, then one query per 250 ms at most: prompt, but never a spin. */
    private static final int BURST = 2;
    private static final Duration REFILL = Duration.ofMillis(250);

    /** The index to block on; subclasses read it for what they publish. */
    protected final BlockingIndex index = new BlockingIndex();
    protected final ConsulCounters counters;
    private final EndpointCache cache;
    private final Backoff backoff;
    private final String what;
    private final Duration wait;
    private final TokenBucket pacing = new TokenBucket(BURST, REFILL, System::nanoTime);
    private volatile boolean stopped;
    private boolean failing;

    /**
     * @param what     the source, for log lines ({@code Consul [agent] key [k]})
     * @param wait     one query's blocking time, for the first log line
     * @param cache    where failures are recorded (the subclass publishes answers to it)
     * @param backoff  delays between failed reads
     * @param counters where queries, failures and index resets are counted
     */
    BlockingQueryLoop(String what, Duration wait, EndpointCache cache, Backoff backoff, ConsulCounters counters) {
        this.what = what;
        this.wait = wait;
        this.cache = cache;
        this.backoff = backoff;
        this.counters = counters;
    }

    /** One (blocking) read with the given index; a runtime exception is a failed read. */
    protected abstract R read(long index);

    /** The index an answer carries, or {@code null} when the header was missing. */
    protected abstract Long indexOf(R answer);

    /** An answer, after the index rules were applied: select, publish, report. */
    protected abstract void onAnswer(R answer);

    /** Whether a set was published before, for the line that reports a failure. */
    protected abstract boolean hasPublished();

    @Override
    public final void run() {
        Logger.debug("watching {} with blocking queries (wait {} s)", what, wait.toSeconds());
        try {
            while (!stopped) {
                pacing.acquire();
                R answer;
                try {
                    answer = read(index.current());
                } catch (RuntimeException e) {
                    if (!stopped) {
                        onFailure(e);
                    }
                    continue;
                }
                onSuccess(answer);
            }
        } catch (InterruptedException e) {
            // stop() interrupts a sleep; nothing else interrupts this thread.
            Thread.currentThread().interrupt();
        }
        Logger.debug("stopped watching {}", what);
    }

    private void onSuccess(R answer) {
        counters.queried();
        if (failing) {
            Logger.info("{} answers again", what);
            failing = false;
        }
        backoff.reset();
        Long answered = indexOf(answer);
        switch (index.update(answered)) {
            case RESET_BACKWARDS -> {
                counters.indexReset();
                Logger.info("{}: X-Consul-Index went backwards to [{}] (a snapshot restore?); reading afresh", what, answered);
            }
            case RAISED_TO_ONE -> Logger.debug("{}: X-Consul-Index [{}] is not >= 1; using 1", what, answered);
            case ACCEPTED -> { }
        }
        onAnswer(answer);
    }

    private void onFailure(RuntimeException error) throws InterruptedException {
        counters.queryFailed();
        if (AnswerSizeCap.isTooLong(error)) {
            counters.answerRefused();
        }
        String reason = KvWatcher.describe(error);
        cache.recordFailure(reason);
        // After an outage Consul may be another server or a restored snapshot whose index
        // is below ours; a query with our index would then block without seeing changes.
        index.reset();
        Duration delay = backoff.next();
        if (!failing) {
            Logger.warn("{} does not answer ({}); {}, retrying with backoff", what, reason,
                    hasPublished() ? "serving the last known set" : "nothing known yet");
            failing = true;
        } else {
            Logger.debug("{} still does not answer ({}); retrying in {} ms", what, reason, delay.toMillis());
        }
        TimeUnit.MILLISECONDS.sleep(delay.toMillis());
    }

    /** Ends the loop after the current query; see the class comment. */
    void stop() {
        stopped = true;
    }
}
