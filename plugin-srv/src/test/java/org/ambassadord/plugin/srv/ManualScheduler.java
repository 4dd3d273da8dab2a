package org.ambassadord.plugin.srv;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler that runs nothing by itself: {@link #execute} runs at once on the caller's thread,
 * {@link #schedule(Runnable, long, TimeUnit)} keeps the task and its delay until the test runs
 * it with {@link #runNext()}. For driving the SRV answer cache step by step.
 */
final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {

    /** A task waiting for the test, with the delay it was scheduled with. */
    record Pending(Runnable task, Duration delay, boolean[] cancelled) implements ScheduledFuture<Object> {
        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(delay);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            cancelled[0] = true;
            return true;
        }

        @Override
        public boolean isCancelled() {
            return cancelled[0];
        }

        @Override
        public boolean isDone() {
            return cancelled[0];
        }

        @Override
        public Object get() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            throw new UnsupportedOperationException();
        }
    }

    private final List<Pending> pending = new ArrayList<>();

    /** The tasks scheduled and not yet run, cancelled ones included. */
    List<Pending> pending() {
        return List.copyOf(pending);
    }

    /** Runs the oldest scheduled task unless it was cancelled; returns it. */
    Pending runNext() {
        Pending next = pending.remove(0);
        if (!next.isCancelled()) {
            next.task().run();
        }
        return next;
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        Pending task = new Pending(command, Duration.ofNanos(unit.toNanos(delay)), new boolean[1]);
        pending.add(task);
        return task;
    }

    @Override
    public void execute(Runnable command) {
        command.run();
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void shutdown() {
    }

    @Override
    public List<Runnable> shutdownNow() {
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return false;
    }

    @Override
    public boolean isTerminated() {
        return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return true;
    }
}
