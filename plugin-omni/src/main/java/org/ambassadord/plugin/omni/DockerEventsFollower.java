package org.ambassadord.plugin.omni;

import java.io.Closeable;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.EventsCmd;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import org.tinylog.Logger;

/**
 * Keeps a {@link ContainerDirectory} in step with the Docker engine: a full listing, then the
 * events stream (container {@code start}, {@code die}, {@code destroy}, {@code pause},
 * {@code unpause}, {@code health_status}; network {@code connect}, {@code disconnect}), and a
 * new listing whenever the stream is lost.
 *
 * <p>All Docker calls run on this follower's own daemon thread, which is also the only
 * writer of the directory; docker-java's stream thread merely queues what it receives.
 * The stream is opened before the listing, so an event that happens during the listing is
 * queued and applied after it. Each event is applied by inspecting the container as it is
 * now, so replayed or reordered events are harmless. After a loss the stream is reopened
 * {@code since} the last event seen, and the listing repeated, with exponential backoff
 * while the engine does not answer.
 *
 * <p>The Docker socket is only read: list, inspect, events.
 */
final class DockerEventsFollower implements AutoCloseable {

    private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    /** A listing now and then also catches a stream that silently stopped delivering. */
    private static final Duration RESYNC_PERIOD = Duration.ofMinutes(5);
    /** Unknown clients may ask for listings; this bounds how often they get one. */
    private static final Duration MIN_REFRESH_INTERVAL = Duration.ofMillis(250);

    private final DockerClient docker;
    private final ContainerReader reader;
    private final ContainerDirectory directory;
    private final Runnable onChange;
    private final String endpoint;
    private final BlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();
    private final AtomicReference<CompletableFuture<Void>> pendingRefresh = new AtomicReference<>();
    private final AtomicInteger syncs = new AtomicInteger();
    /** Times the events stream or the engine was lost; for /metrics. */
    private final java.util.concurrent.atomic.AtomicLong streamLosses = new java.util.concurrent.atomic.AtomicLong();
    /** Stream events (and losses) received but not yet applied. */
    private final AtomicInteger pendingEvents = new AtomicInteger();
    /** Completed, and replaced, each time the directory becomes current. */
    private volatile CompletableFuture<Void> caughtUp = new CompletableFuture<>();
    private final Thread thread;

    // Follower thread only:
    private volatile Closeable stream;
    private long streamOpenedNanos;
    private long lastEventTime;
    private long lastSyncNanos;
    private Duration backoff = FIRST_BACKOFF;
    private boolean reportedFailure;

    private volatile boolean closed;
    private volatile boolean following;
    private volatile String lastFailure = "not connected yet";

    /**
     * @param onChange run on the follower thread after each change of the directory
     * @param endpoint the engine's address, for messages
     */
    DockerEventsFollower(DockerClient docker, ContainerDirectory directory, Runnable onChange, String endpoint) {
        this.docker = docker;
        this.reader = new ContainerReader(docker);
        this.directory = directory;
        this.onChange = onChange;
        this.endpoint = endpoint;
        this.thread = new Thread(this::run, "omni-docker-events");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /**
     * Asks for a listing soon, for a client address the directory does not know (a container
     * that connects before its start event arrived). Requests are coalesced; the returned
     * future completes once a listing started after this call has been applied. Any thread.
     */
    CompletableFuture<Void> refresh() {
        CompletableFuture<Void> fresh = new CompletableFuture<>();
        CompletableFuture<Void> existing = pendingRefresh.compareAndExchange(null, fresh);
        if (existing != null) {
            return existing;
        }
        tasks.add(() -> {
            pendingRefresh.compareAndSet(fresh, null);
            try {
                pauseSinceLastSync();
                fullSync();
            } finally {
                // Also when the engine failed: the waiting connection is then refused at once.
                fresh.complete(null);
            }
        });
        return fresh;
    }

    /**
     * Completes once the directory is current: the events stream is up, a listing has been
     * applied since it (re)opened, and every event received has been applied. A completed
     * future when it is current now. Any thread; the future completes on the follower thread.
     */
    CompletableFuture<Void> whenCurrent() {
        CompletableFuture<Void> waiting = caughtUp;
        if (following && pendingEvents.get() == 0) {
            return CompletableFuture.completedFuture(null);
        }
        return waiting;
    }

    /** Whether connections are served from the directory right now, for diagnostics. */
    boolean isCurrent() {
        return following && pendingEvents.get() == 0;
    }

    /** Follower thread: releases the connections that waited for a current directory. */
    private void announceIfCurrent() {
        if (following && pendingEvents.get() == 0) {
            CompletableFuture<Void> released = caughtUp;
            if (!released.isDone()) {
                caughtUp = new CompletableFuture<>();
                released.complete(null);
            }
        }
    }

    /** How many full listings were applied; for tests and diagnostics. */
    int syncCount() {
        return syncs.get();
    }

    /** Why the engine is not followed right now, for refusal messages. */
    String state() {
        return following ? "following " + endpoint : "not following " + endpoint + ": " + lastFailure;
    }

    private void run() {
        while (!closed) {
            try {
                if (stream == null) {
                    openStream();
                    fullSync();
                    following = true;
                    backoff = FIRST_BACKOFF;
                    reportedFailure = false;
                    announceIfCurrent();
                }
                Runnable task = tasks.poll(RESYNC_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
                if (task != null) {
                    task.run();
                } else if (!closed) {
                    fullSync();
                }
                announceIfCurrent();
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException | LinkageError e) {
                // docker-java reports an unreachable engine as a RuntimeException wrapping
                // the IOException; nothing may end this thread but close().
                if (closed) {
                    break;
                }
                lostEngine(e);
            }
        }
        closeStream();
    }

    /** Times the events stream (or the engine) was lost so far. Any thread. */
    long streamLosses() {
        return streamLosses.get();
    }

    private void lostEngine(Throwable e) {
        streamLosses.incrementAndGet();
        // docker-java puts the engine's answer body in the message: its text, escaped and capped.
        lastFailure = ContainerText.printable(e.getMessage() == null ? e.toString() : e.getMessage().strip());
        closeStream();
        if (!reportedFailure) {
            Logger.warn("omni: Docker engine at [{}] does not answer ({}); retrying", endpoint, lastFailure);
            reportedFailure = true;
        } else {
            Logger.debug("omni: Docker engine at [{}] still does not answer: {}", endpoint, lastFailure);
        }
        sleepBackoff();
    }

    private void sleepBackoff() {
        try {
            Thread.sleep(backoff.toMillis());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            closed = true;
        }
        backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
    }

    private void openStream() {
        EventsCmd command = docker.eventsCmd()
                .withEventTypeFilter(EventType.CONTAINER.getValue(), EventType.NETWORK.getValue())
                .withEventFilter("start", "die", "destroy", "connect", "disconnect", "pause", "unpause", "health_status");
        if (lastEventTime > 0) {
            // Replays what happened while the stream was down; applying it twice is harmless.
            command = command.withSince(Long.toString(lastEventTime));
        }
        EventCallback callback = new EventCallback();
        stream = callback;
        streamOpenedNanos = System.nanoTime();
        command.exec(callback);
    }

    private void closeStream() {
        Closeable current = stream;
        stream = null;
        following = false;
        if (current != null) {
            try {
                current.close();
            } catch (Exception e) {
                Logger.debug("omni: closing the events stream: {}", e.toString());
            }
        }
    }

    /** Lists the running containers and replaces the directory with them. */
    private void fullSync() {
        List<ContainerRecord> records = reader.listRunning();
        directory.replaceAll(records);
        lastSyncNanos = System.nanoTime();
        int count = syncs.incrementAndGet();
        Logger.debug("omni: listing {} found {} running containers", count, records.size());
        onChange.run();
    }

    private void pauseSinceLastSync() {
        long waitNanos = MIN_REFRESH_INTERVAL.toNanos() - (System.nanoTime() - lastSyncNanos);
        if (waitNanos > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(waitNanos);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Applies one event by looking at the container as it is now. */
    private void apply(Event event) {
        if (event.getTime() != null) {
            lastEventTime = Math.max(lastEventTime, event.getTime());
        }
        if (event.getActor() == null) {
            return;
        }
        // A network event's actor is the network; the container is an attribute.
        String id = event.getType() == EventType.NETWORK
                ? event.getActor().getAttributes() == null ? null : event.getActor().getAttributes().get("container")
                : event.getActor().getId();
        if (id == null || id.isEmpty()) {
            return;
        }
        Logger.debug("omni: {} {} of {}", event.getType(), ContainerText.printable(event.getAction()), ContainerText.printable(id));
        reader.inspectRunning(id).ifPresentOrElse(directory::put, () -> directory.remove(id));
        onChange.run();
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            // Bounded: stop must fit docker stop's 10 s (see the core's GracefulStop).
            thread.join(TimeUnit.MILLISECONDS.toMillis(500));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        CompletableFuture<Void> pending = pendingRefresh.getAndSet(null);
        if (pending != null) {
            pending.complete(null);
        }
        caughtUp.completeExceptionally(new IllegalStateException("omni backend is closed"));
    }

    /**
     * Receives the stream on docker-java's thread and hands everything to the follower
     * thread. docker-java may report both an error and the completion of one stream.
     */
    private final class EventCallback extends ResultCallback.Adapter<Event> {
        @Override
        public void onNext(Event event) {
            pendingEvents.incrementAndGet();
            tasks.add(() -> {
                try {
                    apply(event);
                } finally {
                    pendingEvents.decrementAndGet();
                }
            });
        }

        @Override
        public void onError(Throwable error) {
            lost("failed: " + error);
        }

        @Override
        public void onComplete() {
            lost("ended");
        }

        private void lost(String how) {
            if (stream == this) {
                // Read racily on purpose: stale entries must stop serving now, not when the
                // follower thread gets to the task.
                following = false;
            }
            tasks.add(() -> {
                if (stream == this) {
                    streamLosses.incrementAndGet();
                    Logger.info("omni: the Docker events stream {}; listing containers again", how);
                    lastFailure = "events stream " + how;
                    closeStream();
                    // An engine that ends every stream at once must not make us spin.
                    if (System.nanoTime() - streamOpenedNanos < TimeUnit.SECONDS.toNanos(1)) {
                        sleepBackoff();
                    }
                }
            });
        }
    }
}
