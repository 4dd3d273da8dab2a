package org.ambassadord.core.relay.loop;

import java.util.ArrayList;
import java.util.List;


/**
 * Deadlines of one {@link RelayLoop}: resolve and connect timeouts, accept back-off. Loop thread
 * only, so no locking.
 *
 * <p>Every connection schedules timeouts and nearly all of them are cancelled within
 * microseconds, so cancelling must be cheap and must release the timer at once: a heap that
 * keeps cancelled timers until their deadline holds, at 10,000 connections per second and a
 * 10 s resolve timeout, 100,000 dead timers that survive into the old generation. Timers
 * come in a handful of fixed delays, though, and timers of one delay expire in the order they
 * were scheduled: each delay gets a doubly linked list (a "lane"), scheduling appends,
 * cancelling unlinks, and only the lanes' heads are ever looked at.
 */
public final class LoopTimers {

    /** A scheduled action; {@link #cancel()} it when it is no longer wanted. */
    public static final class Timer {
        private final long deadlineNanos;
        private final Runnable action;
        private Lane lane;
        private Timer previous;
        private Timer next;

        private Timer(long deadlineNanos, Runnable action) {
            this.deadlineNanos = deadlineNanos;
            this.action = action;
        }

        /** Idempotent; a timer that already ran or was cancelled stays so. */
        public void cancel() {
            if (lane != null) {
                lane.unlink(this);
            }
        }
    }

    /** Timers of one delay, in deadline order. */
    private static final class Lane {
        private final long delayNanos;
        private Timer head;
        private Timer tail;

        Lane(long delayNanos) {
            this.delayNanos = delayNanos;
        }

        void append(Timer timer) {
            timer.lane = this;
            timer.previous = tail;
            if (tail == null) {
                head = timer;
            } else {
                tail.next = timer;
            }
            tail = timer;
        }

        void unlink(Timer timer) {
            if (timer.previous == null) {
                head = timer.next;
            } else {
                timer.previous.next = timer.next;
            }
            if (timer.next == null) {
                tail = timer.previous;
            } else {
                timer.next.previous = timer.previous;
            }
            timer.lane = null;
            timer.previous = null;
            timer.next = null;
        }
    }

    /** Few: one per distinct delay in use (resolve, connect, back-off). */
    private final List<Lane> lanes = new ArrayList<>(4);

    public Timer schedule(long delayNanos, Runnable action) {
        Timer timer = new Timer(System.nanoTime() + delayNanos, action);
        lane(delayNanos).append(timer);
        return timer;
    }

    /**
     * Milliseconds until the next deadline, for {@code Selector.select(timeout)}: 0 means no
     * timer (block), at least 1 otherwise so a due timer does not turn into a busy select.
     */
    long millisUntilNext() {
        Timer next = null;
        for (int i = 0; i < lanes.size(); i++) {
            Timer head = lanes.get(i).head;
            if (head != null && (next == null || head.deadlineNanos - next.deadlineNanos < 0)) {
                next = head;
            }
        }
        if (next == null) {
            return 0;
        }
        long nanos = next.deadlineNanos - System.nanoTime();
        return Math.max(1, (nanos + 999_999) / 1_000_000);
    }

    /** Runs every timer whose deadline has passed. */
    void runExpired(LoopFailures failures) {
        long now = System.nanoTime();
        for (int i = 0; i < lanes.size(); i++) {
            Lane lane = lanes.get(i);
            Timer due;
            while ((due = lane.head) != null && due.deadlineNanos - now <= 0) {
                lane.unlink(due);
                try {
                    due.action.run();
                } catch (Throwable e) {
                    failures.handle("a timer", e);
                }
            }
        }
    }

    private Lane lane(long delayNanos) {
        for (int i = 0; i < lanes.size(); i++) {
            Lane lane = lanes.get(i);
            if (lane.delayNanos == delayNanos) {
                return lane;
            }
        }
        Lane lane = new Lane(delayNanos);
        lanes.add(lane);
        return lane;
    }
}
