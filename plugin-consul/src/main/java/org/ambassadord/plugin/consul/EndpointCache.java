package org.ambassadord.plugin.consul;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Hands the latest backend set from the watcher thread to the event loop.
 *
 * <p>The watcher publishes an immutable {@link EndpointSnapshot} through a volatile field;
 * {@link #resolve()} reads it and answers at once. Until the first successful read there is
 * nothing to answer from: the connection then waits on a future that the first read
 * completes, or that fails after {@code firstReadTimeout} with the last error, so that a
 * client of an unreachable Consul is refused with a reason instead of hanging.
 *
 * <p><b>Threading.</b> {@link #publish}, {@link #recordFailure} and {@link #close} come from
 * the watcher or closing thread; {@link #resolve()} comes from the event loop and never
 * blocks.
 */
final class EndpointCache {

    private final String source;
    private final ScheduledExecutorService scheduler;
    private final Duration firstReadTimeout;
    private final CompletableFuture<EndpointSnapshot> firstRead = new CompletableFuture<>();
    private volatile EndpointSnapshot current;
    private volatile String lastFailure;
    private volatile boolean closed;

    /**
     * @param source           the spec's description, for messages
     * @param scheduler        runs the first-read timeouts
     * @param firstReadTimeout how long a connection waits for the very first read
     */
    EndpointCache(String source, ScheduledExecutorService scheduler, Duration firstReadTimeout) {
        this.source = source;
        this.scheduler = scheduler;
        this.firstReadTimeout = firstReadTimeout;
    }

    /** Replaces the set; called by the watcher after every successful read. */
    void publish(EndpointSnapshot snapshot) {
        current = snapshot;
        firstRead.complete(snapshot);
    }

    /** Remembers why the last read failed, for the first-read timeout message. */
    void recordFailure(String reason) {
        lastFailure = reason;
    }

    /** Why the last failed read failed, {@code null} if none failed yet. */
    String lastFailure() {
        return lastFailure;
    }

    /** The latest set, or {@code null} before the first successful read. */
    EndpointSnapshot current() {
        return current;
    }

    /** The endpoints for one client connection; see the class comment. Never blocks. */
    CompletionStage<List<InetSocketAddress>> resolve() {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("the backend of " + source + " is closed"));
        }
        EndpointSnapshot snapshot = current;
        if (snapshot != null) {
            return answer(snapshot);
        }
        CompletableFuture<List<InetSocketAddress>> answer = firstRead.thenCompose(this::answer);
        if (!answer.isDone()) {
            ScheduledFuture<?> timeout = scheduler.schedule(() -> answer.completeExceptionally(new IllegalStateException(
                    "no answer from " + source + " within " + firstReadTimeout.toMillis() + " ms: "
                    + (lastFailure == null ? "no answer yet" : lastFailure))),
                    firstReadTimeout.toMillis(), TimeUnit.MILLISECONDS);
            answer.whenComplete((endpoints, error) -> timeout.cancel(false));
        }
        return answer;
    }

    private CompletableFuture<List<InetSocketAddress>> answer(EndpointSnapshot snapshot) {
        if (snapshot.endpoints().isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "no backends in " + source + ": " + snapshot.description()));
        }
        return CompletableFuture.completedFuture(snapshot.endpoints());
    }

    /** Fails connections still waiting for the first read. Idempotent. */
    void close() {
        closed = true;
        firstRead.completeExceptionally(new IllegalStateException("the backend of " + source + " is closed"));
    }
}
