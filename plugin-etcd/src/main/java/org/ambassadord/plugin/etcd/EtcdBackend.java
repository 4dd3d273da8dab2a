package org.ambassadord.plugin.etcd;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import org.ambassadord.spi.Backend;
import org.ambassadord.spi.ClientConnection;

/**
 * The backends of one {@code etcd://} spec, as its {@link EtcdWatcher} last saw them.
 *
 * <p>{@link #resolve} runs on the relay's event loop and only reads a volatile field. Until
 * the first read has answered it hands out incomplete futures that the watcher's thread
 * completes, or that fail after {@link EtcdTimings#firstReadWait()}: a client connecting
 * while etcd is down at start is told so rather than left hanging.
 */
final class EtcdBackend implements Backend {

    /** The seed's fixed listen port for discovered backends. */
    private static final Set<Integer> LISTEN_PORTS = Set.of(10000);

    private final EtcdSpec spec;
    private final EtcdTimings timings;
    private final ScheduledExecutorService scheduler;
    private final EtcdWatcher watcher;
    /** Connections waiting for the first read. */
    private final Set<CompletableFuture<List<InetSocketAddress>>> waiting = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** {@code null} until the first read; then the current set, possibly empty. */
    private volatile List<InetSocketAddress> current;

    private EtcdBackend(EtcdSpec spec, EtcdTimings timings, ScheduledExecutorService scheduler, EtcdClientPool clients,
                        Function<HostPort, Optional<String>> endpointDenial) {
        this.spec = spec;
        this.timings = timings;
        this.scheduler = scheduler;
        this.watcher = new EtcdWatcher(spec, timings, clients, endpointDenial, this::update);
    }

    /**
     * Opens a backend and starts watching in the background; returns without waiting for etcd.
     *
     * @param scheduler times out connections that wait for the first read
     */
    static EtcdBackend open(EtcdSpec spec, EtcdTimings timings, ScheduledExecutorService scheduler) {
        return open(spec, timings, scheduler, new EtcdClientPool(EtcdClients::connect));
    }

    /**
     * Opens a backend that watches through a shared pool of clients.
     *
     * @param clients the provider's jetcd clients, one per endpoint
     */
    static EtcdBackend open(EtcdSpec spec, EtcdTimings timings, ScheduledExecutorService scheduler,
                            EtcdClientPool clients) {
        return open(spec, timings, scheduler, clients, endpoint -> Optional.empty());
    }

    /**
     * Opens a backend whose etcd endpoints are held to rules before each connection.
     *
     * @param endpointDenial why an endpoint may not be connected to, or empty; called on the
     *                       backend's own thread, where resolving a name may block
     */
    static EtcdBackend open(EtcdSpec spec, EtcdTimings timings, ScheduledExecutorService scheduler,
                            EtcdClientPool clients, Function<HostPort, Optional<String>> endpointDenial) {
        EtcdBackend backend = new EtcdBackend(spec, timings, scheduler, clients, endpointDenial);
        backend.watcher.start();
        return backend;
    }

    @Override
    public String describeState() {
        long revision = watcher.revision();
        return revision == 0 ? "etcd has not answered yet" : "etcd key [" + spec.key() + "] read at revision " + revision
                + ", then watched";
    }

    /** Once etcd has answered the first read. */
    /** Values skipped for their size ({@code ambassadord_etcd_values_refused_total}). */
    @Override
    public java.util.Map<String, Long> counters() {
        return java.util.Map.of("etcd_values_refused", watcher.valuesRefused());
    }

    @Override
    public boolean isReady() {
        return current != null;
    }

    /** Called on the event loop: answers from the cached set, never waits. */
    @Override
    public CompletionStage<List<InetSocketAddress>> resolve(ClientConnection connection) {
        List<InetSocketAddress> known = current;
        if (known != null) {
            return answer(known);
        }
        if (closed.get()) {
            return CompletableFuture.failedFuture(new IllegalStateException("etcd backend [" + spec.spec() + "] is closed"));
        }
        CompletableFuture<List<InetSocketAddress>> later = new CompletableFuture<>();
        waiting.add(later);
        known = current;
        if (known != null) {
            // The first read landed between the two looks; update() may have missed this one.
            waiting.remove(later);
            return answer(known);
        }
        try {
            scheduler.schedule(() -> giveUp(later), timings.firstReadWait().toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            giveUp(later);
        }
        return later;
    }

    @Override
    public Set<Integer> listenPorts() {
        return LISTEN_PORTS;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            watcher.close();
            for (CompletableFuture<List<InetSocketAddress>> later : List.copyOf(waiting)) {
                if (waiting.remove(later)) {
                    later.completeExceptionally(new IllegalStateException("etcd backend [" + spec.spec() + "] is closed"));
                }
            }
        }
    }

    /** The watcher, for tests. */
    EtcdWatcher watcher() {
        return watcher;
    }

    /** Called on the watcher's thread with every changed set. */
    private void update(List<InetSocketAddress> addresses) {
        current = addresses;
        for (CompletableFuture<List<InetSocketAddress>> later : List.copyOf(waiting)) {
            if (waiting.remove(later)) {
                if (addresses.isEmpty()) {
                    later.completeExceptionally(noBackends());
                } else {
                    later.complete(addresses);
                }
            }
        }
    }

    private void giveUp(CompletableFuture<List<InetSocketAddress>> later) {
        if (waiting.remove(later)) {
            later.completeExceptionally(new TimeoutException("etcd [" + spec.endpointList() + "] has not answered for ["
                    + spec.key() + "] within " + timings.firstReadWait().toMillis() + " ms"));
        }
    }

    private CompletableFuture<List<InetSocketAddress>> answer(List<InetSocketAddress> addresses) {
        return addresses.isEmpty() ? CompletableFuture.failedFuture(noBackends()) : CompletableFuture.completedFuture(addresses);
    }

    private IllegalStateException noBackends() {
        return new IllegalStateException("etcd path [" + spec.key() + "] at [" + spec.endpointList()
                + "] has no backends: no valid host:port in its children or its value");
    }
}
