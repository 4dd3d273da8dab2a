package org.ambassadord.plugin.hostport;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.ambassadord.spi.Backend;
import org.ambassadord.spi.ClientConnection;
import org.tinylog.Logger;

/**
 * A fixed list of endpoints. IP literals are used as they are; host names are resolved on
 * the shared scheduler, at start and then every {@link #REFRESH_SECONDS} seconds, so DNS
 * changes are followed and {@link #resolve} never waits for DNS. A name that stops resolving
 * keeps its last addresses.
 */
final class StaticBackend implements Backend {

    static final long REFRESH_SECONDS = 5;

    private final List<HostPort> endpoints;
    /** Last good addresses per host name; literals are resolved once, at start. */
    private final Map<HostPort, List<InetSocketAddress>> addresses = new ConcurrentHashMap<>();
    /** Completed by the first resolution round; what early connections wait for. */
    private final CompletableFuture<List<InetSocketAddress>> firstRound = new CompletableFuture<>();
    private volatile List<InetSocketAddress> current = List.of();
    private volatile ScheduledFuture<?> refresh;
    private volatile boolean closed;

    private StaticBackend(List<HostPort> endpoints) {
        this.endpoints = endpoints;
    }

    static StaticBackend start(List<HostPort> endpoints, ScheduledExecutorService scheduler) {
        StaticBackend backend = new StaticBackend(endpoints);
        boolean allLiterals = true;
        for (HostPort endpoint : endpoints) {
            var literal = endpoint.literalAddress();
            if (literal.isPresent()) {
                backend.addresses.put(endpoint, List.of(new InetSocketAddress(literal.get(), endpoint.port())));
            } else {
                allLiterals = false;
            }
        }
        if (allLiterals) {
            backend.publish();
        } else {
            backend.refresh = scheduler.scheduleWithFixedDelay(backend::resolveNames, 0, REFRESH_SECONDS, TimeUnit.SECONDS);
        }
        return backend;
    }

    /** Each named endpoint and the addresses it has now: {@code localhost:9 -> [127.0.0.1]}. */
    @Override
    public String describeState() {
        StringBuilder state = new StringBuilder("static");
        for (HostPort endpoint : endpoints) {
            List<InetSocketAddress> found = addresses.getOrDefault(endpoint, List.of());
            state.append(state.length() == 6 ? " " : "; ").append(endpoint.host()).append(':').append(endpoint.port())
                    .append(" -> ").append(found.isEmpty() ? "(not resolved)"
                            : found.stream().map(address -> address.getAddress().getHostAddress()).toList());
        }
        if (endpoints.stream().anyMatch(endpoint -> endpoint.literalAddress().isEmpty())) {
            state.append(" (names resolved again every ").append(REFRESH_SECONDS).append(" s)");
        }
        return state.toString();
    }

    @Override
    public CompletionStage<List<InetSocketAddress>> resolve(ClientConnection connection) {
        List<InetSocketAddress> known = current;
        return known.isEmpty() ? firstRound : CompletableFuture.completedFuture(known);
    }

    @Override
    public Set<Integer> listenPorts() {
        return Set.of(endpoints.get(0).port());
    }

    @Override
    public void close() {
        closed = true;
        ScheduledFuture<?> task = refresh;
        if (task != null) {
            task.cancel(false);
        }
        firstRound.completeExceptionally(new IllegalStateException("backend closed"));
    }

    /** One round on the scheduler: look every name up again. */
    private void resolveNames() {
        List<String> failures = new ArrayList<>();
        for (HostPort endpoint : endpoints) {
            if (closed || endpoint.literalAddress().isPresent()) {
                continue;
            }
            try {
                List<InetSocketAddress> found = Arrays.stream(InetAddress.getAllByName(endpoint.host()))
                        .map(address -> new InetSocketAddress(address, endpoint.port()))
                        .toList();
                List<InetSocketAddress> before = addresses.put(endpoint, found);
                if (before != null && !before.equals(found)) {
                    Logger.info("[{}] now resolves to {}", endpoint, found);
                }
            } catch (UnknownHostException | SecurityException e) {
                failures.add(endpoint.host());
                if (addresses.containsKey(endpoint)) {
                    Logger.warn("cannot resolve [{}] ({}); keeping its last addresses {}", endpoint.host(),
                            e.getMessage(), addresses.get(endpoint));
                } else {
                    Logger.warn("cannot resolve [{}]: {}", endpoint.host(), e.getMessage());
                }
            }
        }
        publish();
        if (current.isEmpty() && !firstRound.isDone()) {
            firstRound.completeExceptionally(new UnknownHostException("cannot resolve " + failures));
        }
    }

    private void publish() {
        List<InetSocketAddress> all = new ArrayList<>();
        for (HostPort endpoint : endpoints) {
            all.addAll(addresses.getOrDefault(endpoint, List.of()));
        }
        current = List.copyOf(all);
        if (!all.isEmpty()) {
            firstRound.complete(current);
        }
    }
}
