package org.ambassadord.core.relay.loop;

import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

import org.tinylog.Logger;
import org.ambassadord.core.relay.socket.ConnectGuess;
import org.ambassadord.core.relay.socket.RelaySocket;
import org.ambassadord.core.relay.stats.LoopCounters;

/**
 * One poller, one thread. Every socket registered here, with its relay, is touched by this
 * thread only, so relays need no locks. Other threads hand work in through
 * {@link #execute(Runnable)}, which queues it and wakes the poller. How it waits and how its
 * sockets are made is its {@link LoopIo}'s business (NIO or epoll).
 */
public final class RelayLoop implements Executor {

    private final LoopIo io;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final LoopTimers timers = new LoopTimers();
    private final ConnectGuess connectGuess = new ConnectGuess();
    private final LoopCounters counters = new LoopCounters();
    private final LoopFailures failures;
    /** Told once, with the reason, if this loop's thread ends other than by shutdown. */
    private final java.util.function.Consumer<String> onDeath;
    /** Set by the loop thread when a fatal error ends it; read by /metrics and /healthz. */
    private volatile boolean died;
    /** Work for the end of the current batch of ready keys. */
    private final List<Runnable> afterBatch = new ArrayList<>();
    /** The ready action, allocated once: ready sockets go straight to their handlers. */
    private final LoopIo.ReadyHandler dispatcher = this::dispatch;
    private final Thread thread;
    /** Set before a wakeup so concurrent submitters do not each pay for the system call. */
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    private volatile boolean running = true;
    // Loop thread only: the busy-time accounting of the current iteration.
    private long iterationStarted;
    private long selectStarted;
    private long firstReady;

    /**
     * @param onDeath told, once and with the reason, if the thread ends other than by
     *                {@link #shutdown()}: a fatal JVM error, or a bug outside any connection
     */
    public RelayLoop(String name, LoopIo io, java.util.function.Consumer<String> onDeath) {
        this.failures = new LoopFailures(name);
        this.onDeath = onDeath;
        this.io = io;
        this.thread = new Thread(this::run, name);
    }

    public void start() {
        thread.start();
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        if (Thread.currentThread() != thread && wakeupPending.compareAndSet(false, true)) {
            io.wakeup();
        }
    }

    /** This loop's counters; updated on the loop thread only. */
    public LoopCounters counters() {
        return counters;
    }

    /** Whether the loop's thread still runs (it is started and has not ended). */
    public boolean isAlive() {
        return !died && thread.isAlive();
    }

    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    public Registration register(RelaySocket socket, int ops, SelectionHandler handler) throws IOException {
        return io.register(socket, ops, handler);
    }

    public Registration registerListener(ServerSocketChannel listener, SelectionHandler handler) throws IOException {
        return io.registerListener(listener, handler);
    }

    /** Accepting, opening and closing sockets, the way this loop polls them. */
    public LoopIo io() {
        return io;
    }

    public LoopTimers timers() {
        return timers;
    }

    public ConnectGuess connectGuess() {
        return connectGuess;
    }

    /** How this loop's relays move bytes, with the buffers or pipes they share. */

    /**
     * Cancels a registration and closes its socket, each when not null; see
     * {@link LoopIo#close}. Loop thread.
     */
    public void closeDeregistered(Registration registration, RelaySocket socket) {
        io.close(registration, socket);
    }

    /**
     * Runs {@code task} once the handlers of the current batch of ready keys (or the current
     * tasks, or timers) have run, before the loop waits again. Loop thread.
     */
    public void afterBatch(Runnable task) {
        afterBatch.add(task);
    }

    /**
     * Calls {@code callback} on this loop with the outcome of {@code stage}: at once when it is
     * a future that is already complete (most backends answer from a cache; then there is no
     * callback to allocate and no task to queue), else when it completes, from whichever thread
     * completes it. Loop thread.
     */
    public <T> void onComplete(CompletionStage<T> stage, BiConsumer<T, Throwable> callback) {
        if (stage instanceof CompletableFuture<T> future && future.isDone()) {
            T value;
            try {
                value = future.join();
            } catch (CompletionException | CancellationException e) {
                callback.accept(null, e);
                return;
            }
            callback.accept(value, null);
            return;
        }
        stage.whenComplete((value, error) -> {
            if (inLoop()) {
                callback.accept(value, error);
            } else {
                execute(() -> callback.accept(value, error));
            }
        });
    }

    /** Stops the loop after the current iteration; channels still registered are closed. */
    public void shutdown() {
        running = false;
        io.wakeup();
    }

    public void awaitTermination(long millis) throws InterruptedException {
        thread.join(millis);
    }

    private void run() {
        try {
            loop();
        } catch (Throwable fatal) {
            // Only a fatal error gets here (LoopFailures): the listener decides what the
            // process does, because a loop that stopped leaves its listener unserved.
            // Dead from here on, before closeAll closes the listener: /healthz must name the
            // loop's death, not the closed listener it leads to (a CI run caught that window).
            died = true;
            String reason = Thread.currentThread().getName() + " died: " + fatal;
            Logger.error(fatal, "relay loop {}", reason);
            onDeath.accept(reason);
        } finally {
            closeAll();
        }
    }

    private void loop() {
        iterationStarted = System.nanoTime();
        while (running) {
            runTasks();
            runAfterBatch();
            selectStarted = System.nanoTime();
            firstReady = 0;
            try {
                io.select(timers.millisUntilNext(), dispatcher);
            } catch (IOException e) {
                Logger.error(e, "polling failed; the loop goes on");
                continue;
            }
            long returned = System.nanoTime();
            wakeupPending.set(false);
            runAfterBatch();
            timers.runExpired(failures);
            runAfterBatch();
            long end = System.nanoTime();
            // Busy: the whole iteration but the wait inside select before the first ready key.
            long waited = (firstReady != 0 ? firstReady : returned) - selectStarted;
            counters.add(LoopCounters.BUSY_NANOS, end - iterationStarted - waited);
            iterationStarted = end;
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            try {
                task.run();
            } catch (Throwable e) {
                failures.handle("a task", e);
            }
        }
    }

    private void runAfterBatch() {
        for (int i = 0; i < afterBatch.size(); i++) {
            try {
                afterBatch.get(i).run();
            } catch (Throwable e) {
                failures.handle("a task", e);
            }
        }
        afterBatch.clear();
    }

    private void dispatch(Registration registration, int readyOps) {
        if (firstReady == 0) {
            firstReady = System.nanoTime();
        }
        SelectionHandler handler = registration.handler();
        try {
            handler.onReady(registration, readyOps);
        } catch (Throwable e) {
            // A bug in one connection must not take the loop, and every other connection on
            // it, down with it.
            failures.handle("a connection", e);
            closeQuietly(handler);
        }
    }

    private void closeQuietly(SelectionHandler handler) {
        try {
            handler.close();
        } catch (Throwable e) {
            failures.handle("closing a connection", e);
        }
    }

    /**
     * The time the current batch of ready keys began (no system call when called from a
     * handler), else now.
     */
    public long batchNanos() {
        return firstReady != 0 ? firstReady : System.nanoTime();
    }

    /** The failure policy of this loop, for its timers. */
    public LoopFailures failures() {
        return failures;
    }

    private void closeAll() {
        runTasks();
        List<SelectionHandler> open = new ArrayList<>();
        io.forEachHandler(open::add);
        open.forEach(SelectionHandler::close);
        io.shutdown();
    }

}
