package org.ambassadord.core.relay.endpoint;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;

import org.ambassadord.spi.Backend;
import org.ambassadord.spi.ClientConnection;
import org.tinylog.Logger;
import org.ambassadord.core.relay.socket.Addresses;
import org.ambassadord.core.relay.socket.Channels;

/**
 * {@code --health-check}: every interval, asks the backend for its endpoints as a connection
 * on each listening port would, and tries a TCP connect to each, all at once on one selector
 * and bounded by {@code --connect-timeout}. Results feed the same {@link EndpointHealth} as
 * clients' connects: consecutive failures eject, a success restores (Envoy's active health
 * checking with a TCP check). So a dead endpoint is skipped before a client pays for it.
 *
 * <p>Runs on a thread of its own, never on a loop. Not for backends whose endpoints depend on
 * the client (omni mode): there is no one answer to probe.
 */
public final class ActiveHealthCheck implements AutoCloseable {

    /** Endpoints probed per round at most: one socket each, briefly. */
    static final int MAX_ENDPOINTS_PER_ROUND = 256;

    private final Backend backend;
    private final List<InetSocketAddress> listenAddresses;
    private final EndpointHealth health;
    private final SelfEndpoints self;
    private final Duration connectTimeout;
    private final Duration resolveTimeout;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread t = new Thread(runnable, "health-check");
        t.setDaemon(true);
        return t;
    });
    private final LongAdder passed = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private String lastProblem = "";

    private ActiveHealthCheck(Backend backend, List<InetSocketAddress> listenAddresses, EndpointHealth health,
                              SelfEndpoints self, Duration resolveTimeout, Duration connectTimeout) {
        this.backend = backend;
        this.listenAddresses = List.copyOf(listenAddresses);
        this.health = health;
        this.self = self;
        this.connectTimeout = connectTimeout;
        this.resolveTimeout = resolveTimeout;
    }

    /**
     * Starts probing at once and then every {@code interval}, each probe within the relay's own
     * resolve and connect timeouts.
     */
    public static ActiveHealthCheck start(Backend backend, List<InetSocketAddress> listenAddresses, EndpointHealth health,
                                   SelfEndpoints self, Duration interval, Duration resolveTimeout, Duration connectTimeout) {
        ActiveHealthCheck check = new ActiveHealthCheck(backend, listenAddresses, health, self, resolveTimeout, connectTimeout);
        check.thread.scheduleWithFixedDelay(check::round, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return check;
    }

    public long passed() {
        return passed.sum();
    }

    public long failed() {
        return failed.sum();
    }

    private void round() {
        try {
            probe(endpoints());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | IOException | ExecutionException | TimeoutException e) {
            problem("the backend named no endpoints to check: " + Channels.reason(e));
        }
    }

    private Set<InetSocketAddress> endpoints() throws InterruptedException, ExecutionException, TimeoutException {
        Set<InetSocketAddress> endpoints = new LinkedHashSet<>();
        for (InetSocketAddress local : listenAddresses) {
            // The ambassador itself as the client: backends outside omni mode answer by the
            // listening port (links) or not by the connection at all.
            List<InetSocketAddress> answer = backend.resolve(ClientConnection.of(local, local)).toCompletableFuture()
                    .get(resolveTimeout.toMillis(), TimeUnit.MILLISECONDS);
            for (InetSocketAddress endpoint : answer) {
                // Probing our own listener would make the relay connect to itself.
                if (endpoints.size() < MAX_ENDPOINTS_PER_ROUND && !self.contains(endpoint)) {
                    endpoints.add(endpoint);
                }
            }
        }
        return endpoints;
    }

    private void probe(Set<InetSocketAddress> endpoints) throws IOException {
        List<SocketChannel> open = new ArrayList<>();
        try (Selector selector = Selector.open()) {
            for (InetSocketAddress endpoint : endpoints) {
                startConnect(selector, endpoint, open);
            }
            long deadline = System.nanoTime() + connectTimeout.toNanos();
            while (!selector.keys().isEmpty()) {
                long remainingMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (remainingMillis <= 0) {
                    break;
                }
                selector.select(remainingMillis);
                for (SelectionKey key : selector.selectedKeys()) {
                    finishConnect(key);
                }
                selector.selectedKeys().clear();
            }
            for (SelectionKey key : selector.keys()) {
                // Still connecting at the deadline: a black hole, as a client would have met.
                recordFailure((InetSocketAddress) key.attachment(), "connect timed out");
            }
        } finally {
            open.forEach(Channels::closeQuietly);
        }
    }

    private void startConnect(Selector selector, InetSocketAddress endpoint, List<SocketChannel> open) {
        try {
            SocketChannel channel = SocketChannel.open();
            open.add(channel);
            channel.configureBlocking(false);
            if (channel.connect(endpoint)) {
                recordSuccess(endpoint);
                Channels.closeQuietly(channel);
            } else {
                channel.register(selector, SelectionKey.OP_CONNECT, endpoint);
            }
        } catch (IOException e) {
            recordFailure(endpoint, Channels.reason(e));
        }
    }

    private void finishConnect(SelectionKey key) {
        InetSocketAddress endpoint = (InetSocketAddress) key.attachment();
        SocketChannel channel = (SocketChannel) key.channel();
        key.cancel();
        try {
            if (channel.finishConnect()) {
                recordSuccess(endpoint);
            }
        } catch (IOException e) {
            recordFailure(endpoint, Channels.reason(e));
        } finally {
            Channels.closeQuietly(channel);
        }
    }

    private void recordSuccess(InetSocketAddress endpoint) {
        passed.increment();
        health.succeeded(endpoint);
    }

    private void recordFailure(InetSocketAddress endpoint, String why) {
        failed.increment();
        health.failed(endpoint, System.nanoTime());
        if (Logger.isDebugEnabled()) {
            Logger.debug("health check of {} failed: {}", Addresses.format(endpoint), why);
        }
    }

    /** Logs a problem when it differs from the last one, so a lasting one is one line. */
    private void problem(String what) {
        if (!what.equals(lastProblem)) {
            lastProblem = what;
            Logger.warn("health check: {}", what);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
