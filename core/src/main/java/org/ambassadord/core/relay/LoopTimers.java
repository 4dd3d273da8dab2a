package org.ambassadord.core.relay;

import java.util.PriorityQueue;

/**
 * Deadlines of one {@link RelayLoop} (connect timeouts, accept back-off). Loop thread only, so
 * no locking; a cancelled timer stays queued until its deadline and is then skipped, which is
 * cheaper than removing it from the heap.
 */
final class LoopTimers {

    /** A scheduled action; {@link #cancel()} it when it is no longer wanted. */
    static final class Timer implements Comparable<Timer> {
        private final long deadlineNanos;
        private final Runnable action;
        private boolean cancelled;

        private Timer(long deadlineNanos, Runnable action) {
            this.deadlineNanos = deadlineNanos;
            this.action = action;
        }

        void cancel() {
            cancelled = true;
        }

        @Override
        public int compareTo(Timer other) {
            return Long.compare(deadlineNanos, other.deadlineNanos);
        }
    }

    private final PriorityQueue<Timer> queue = new PriorityQueue<>();

    Timer schedule(long delayNanos, Runnable action) {
        Timer timer = new Timer(System.nanoTime() + delayNanos, action);
        queue.add(timer);
        return timer;
    }

    /**
     * Milliseconds until the next deadline, for {@code Selector.select(timeout)}: 0 means no
     * timer (block), at least 1 otherwise so a due timer does not turn into a busy select.
     */
    long millisUntilNext() {
        Timer next = queue.peek();
        if (next == null) {
            return 0;
        }
        long nanos = next.deadlineNanos - System.nanoTime();
        return Math.max(1, (nanos + 999_999) / 1_000_000);
    }

    /** Runs every timer whose deadline has passed. */
    void runExpired() {
        long now = System.nanoTime();
        Timer next;
        while ((next = queue.peek()) != null && next.deadlineNanos - now <= 0) {
            queue.poll();
            if (!next.cancelled) {
                next.action.run();
            }
        }
    }
}
