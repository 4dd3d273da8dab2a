package org.ambassadord.plugin.links;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.ambassadord.spi.BackendSpecException;
import org.ambassadord.spi.ProviderContext;
import org.tinylog.Logger;

/**
 * Where one link's connections go. Docker writes IP addresses into link variables, and
 * those are resolved once, when the backend opens. A host name (hand-written variables) is
 * resolved on the scheduler, never on the event loop: at once, then every
 * {@link #REFRESH}; a failed look-up keeps the last addresses and retries after
 * {@link #RETRY}.
 *
 * <p>Threads: {@link #endpoints()} runs on event loop threads and only reads a volatile
 * field; look-ups run on the scheduler.
 */
final class LinkTarget implements AutoCloseable {

    static final Duration REFRESH = Duration.ofSeconds(30);
    static final Duration RETRY = Duration.ofSeconds(2);

    /** Either endpoints or why there are none. */
    private record Resolution(List<InetSocketAddress> endpoints, String refusal) {
    }

    private final DockerLink link;
    /** Completed when the first look-up of a host name ends; answers connections that arrive before. */
    private final CompletableFuture<Resolution> first = new CompletableFuture<>();
    private volatile Resolution current;
    private ScheduledFuture<?> next; // guarded by this
    private boolean closed; // guarded by this
    private boolean failing; // only the refresh task touches it, one run at a time

    private LinkTarget(DockerLink link) {
        this.link = link;
    }

    /**
     * The target of a link: ready at once for an IP address, resolving in the background for
     * a host name. Called on the start-up thread; does no DNS look-up.
     *
     * @throws BackendSpecException when the address looks like an IPv6 literal but is not one
     */
    static LinkTarget open(DockerLink link, ScheduledExecutorService scheduler) throws BackendSpecException {
        LinkTarget target = new LinkTarget(link);
        Optional<InetAddress> literal;
        try {
            literal = ProviderContext.ipLiteral(link.host());
        } catch (IllegalArgumentException e) {
            throw new BackendSpecException("link variable [" + link.variable() + "] has address [" + link.host()
                    + "], which is not an IP address");
        }
        if (literal.isPresent()) {
            target.current = new Resolution(List.of(new InetSocketAddress(literal.get(), link.hostPort())), "");
            target.first.complete(target.current);
        } else {
            target.schedule(scheduler, Duration.ZERO);
        }
        return target;
    }

    DockerLink link() {
        return link;
    }

    /** The linked container has this address now (links read from the Docker API, see {@link LinkEvents}). */
    void retarget(InetAddress address) {
        List<InetSocketAddress> endpoints = List.of(new InetSocketAddress(address, link.hostPort()));
        Resolution previous = current;
        if (previous == null || !previous.endpoints().equals(endpoints)) {
            String now = address.getHostAddress();
            Logger.info("link [{}]: port {} -> {}:{} now", link.alias(), link.port(),
                    now.contains(":") ? "[" + now + "]" : now, link.hostPort());
        }
        current = new Resolution(endpoints, "");
        first.complete(current);
    }

    /**
     * The link's endpoints for one connection. Never blocks: completed at once unless a host
     * name has not been resolved yet, in which case the stage completes when it is.
     */
    CompletionStage<List<InetSocketAddress>> endpoints() {
        Resolution resolution = current;
        CompletableFuture<Resolution> ready = resolution != null ? CompletableFuture.completedFuture(resolution) : first;
        return ready.thenCompose(found -> found.endpoints().isEmpty()
                ? CompletableFuture.failedFuture(new UnknownHostException(found.refusal()))
                : CompletableFuture.completedFuture(found.endpoints()));
    }

    /** Stops re-resolving; connections waiting for a first look-up are refused. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            if (next != null) {
                next.cancel(false);
            }
        }
        first.completeExceptionally(new IllegalStateException("link [" + link.alias() + "] is closed"));
    }

    /** One look-up of the host name, on the scheduler (blocking DNS is allowed there). */
    private void refresh(ScheduledExecutorService scheduler) {
        Duration delay;
        try {
            List<InetSocketAddress> endpoints = Arrays.stream(InetAddress.getAllByName(link.host()))
                    .map(address -> new InetSocketAddress(address, link.hostPort()))
                    .toList();
            Resolution previous = current;
            if (previous == null || !previous.endpoints().equals(endpoints) || failing) {
                Logger.info("link [{}] host [{}] resolves to {}", link.alias(), link.host(), endpoints);
            }
            failing = false;
            current = new Resolution(endpoints, "");
            delay = REFRESH;
        } catch (UnknownHostException e) {
            if (!failing) {
                Logger.warn("link [{}]: cannot resolve host [{}] of [{}]: {}; {}", link.alias(), link.host(),
                        link.variable(), e.getMessage(), current == null ? "refusing its connections until it resolves"
                                : "keeping its last addresses");
            }
            failing = true;
            if (current == null || current.endpoints().isEmpty()) {
                current = new Resolution(List.of(), "cannot resolve host [" + link.host() + "] of link [" + link.alias() + "]");
            }
            delay = RETRY;
        }
        first.complete(current);
        schedule(scheduler, delay);
    }

    private synchronized void schedule(ScheduledExecutorService scheduler, Duration delay) {
        if (closed) {
            return;
        }
        try {
            next = scheduler.schedule(() -> refresh(scheduler), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // The host's scheduler is shutting down: the process is ending, so is the refresh.
            Logger.debug("link [{}]: re-resolving stopped, scheduler shut down", link.alias());
        }
    }
}
