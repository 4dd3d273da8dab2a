package org.ambassadord.plugin.omni;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.ambassadord.spi.Backend;
import org.ambassadord.spi.ClientConnection;
import org.tinylog.Logger;

/**
 * Omni mode: serves each connection with the backend its client container names for the
 * port it dialled.
 *
 * <p>{@link #resolve} runs on an event loop and only reads the {@link ContainerDirectory}.
 * The one exception to an immediate answer is an unknown client address: the container may
 * have connected before its start event arrived, so the answer waits (at most
 * {@link #UNKNOWN_CLIENT_WAIT_SECONDS}) for a fresh listing by the events follower. Anything
 * not positively identified is refused: omni mode is never an open proxy.
 *
 * <p>Identity is by source address, so it is only trusted while the directory is current:
 * while the events stream is down, or has events not yet applied, a new container may hold
 * the address of one that is gone. Connections then wait for the follower to catch up (the
 * relay's {@code --resolve-timeout} bounds the wait) instead of being served from stale
 * entries.
 */
final class OmniBackend implements Backend {

    /** The port omni mode listens on, where the iptables rules send every connection. */
    static final int LISTEN_PORT = 10000;
    static final long UNKNOWN_CLIENT_WAIT_SECONDS = 3;

    private final EngineWatch watch;
    private final Runnable retainNested;
    private final ContainerDirectory directory;
    private final DockerEventsFollower follower;
    private final NestedBackends nested;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final LookupCounters lookups;

    /** Uses the engine's shared watch; closes {@code nested} and releases the watch on close. */
    OmniBackend(EngineWatch watch, NestedBackends nested) {
        this.watch = watch;
        this.lookups = watch.counters();
        this.directory = watch.directory();
        this.follower = watch.follower();
        this.nested = nested;
        // Nested backends no running container names any more are closed.
        this.retainNested = () -> nested.retainOnly(directory.specsInUse());
        watch.onChange(retainNested);
    }

    @Override
    public CompletionStage<List<InetSocketAddress>> resolve(ClientConnection connection) {
        InetSocketAddress client = connection.client();
        Optional<InetSocketAddress> original = connection.originalDestination();
        if (original.isEmpty()) {
            lookups.count(LookupCounters.Outcome.NOT_REDIRECTED);
            return refuse("no original destination is known for the connection from [" + format(client)
                    + "]: was it redirected to this port by iptables? (run --setup-iptables in this container's"
                    + " network namespace)");
        }
        int port = original.get().getPort();
        if (port == connection.local().getPort()) {
            lookups.count(LookupCounters.Outcome.NOT_REDIRECTED);
            return refuse("the connection from [" + format(client) + "] was made to port [" + port
                    + "] directly, not redirected: clients dial the port of their backend, such as 6379");
        }
        InetAddress address = ClientAddresses.normalise(client.getAddress());
        CompletableFuture<Void> current = follower.whenCurrent();
        if (!current.isDone()) {
            return current.thenCompose(ignored -> identify(address, port, connection));
        }
        return identify(address, port, connection);
    }

    private CompletionStage<List<InetSocketAddress>> identify(InetAddress address, int port,
                                                            ClientConnection connection) {
        Optional<ContainerRecord> container = directory.byAddress(address);
        if (container.isPresent()) {
            return forContainer(container.get(), port, connection);
        }
        // A container that connects right after starting may beat its start event.
        return follower.refresh().copy()
                .completeOnTimeout(null, UNKNOWN_CLIENT_WAIT_SECONDS, TimeUnit.SECONDS)
                .thenCompose(ignored -> directory.byAddress(address)
                        .map(found -> forContainer(found, port, connection))
                        .orElseGet(() -> {
                            lookups.count(LookupCounters.Outcome.UNKNOWN_CONTAINER);
                            return refuse("no running container has address [" + address.getHostAddress()
                                    + "] (" + follower.state() + ")");
                        }));
    }

    private CompletionStage<List<InetSocketAddress>> forContainer(ContainerRecord container, int port,
                                                                ClientConnection connection) {
        String spec = container.backendSpecs().get(port);
        if (spec == null) {
            lookups.count(LookupCounters.Outcome.NO_DEFINITION);
            return refuse("container [" + container.describe() + "] defines no backend for port [" + port
                    + "]: set " + ContainerRecord.ENV_PREFIX + port + " or label " + ContainerRecord.LABEL_PREFIX + port);
        }
        if (spec.length() > ContainerText.MAX_SPEC_LENGTH) {
            lookups.count(LookupCounters.Outcome.SPEC_TOO_LONG);
            return refuse("container [" + container.describe() + "] port [" + port + "] names a backend spec longer than the "
                    + ContainerText.MAX_SPEC_LENGTH + " characters allowed");
        }
        lookups.count(LookupCounters.Outcome.MATCHED);
        return nested.backendFor(spec, container)
                .thenCompose(backend -> backend.resolve(connection))
                .exceptionallyCompose(error -> {
                    lookups.count(LookupCounters.Outcome.NESTED_FAILED);
                    return refuse("container [" + container.describe() + "] port [" + port + "] backend [" + spec
                            + "]: " + messageOf(error));
                });
    }

    private static <T> CompletionStage<T> refuse(String reason) {
        return CompletableFuture.failedFuture(new RefusedConnectionException(reason));
    }

    private static String messageOf(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause.getMessage() == null ? cause.toString() : cause.getMessage();
    }

    /**
     * The client's address without its port: refusal reasons are rate-limited per reason, and
     * an ephemeral port in the text would make every connection's reason unique.
     */
    private static String format(InetSocketAddress address) {
        return address.getAddress().getHostAddress();
    }

    @Override
    public Set<Integer> listenPorts() {
        return Set.of(LISTEN_PORT);
    }

    /**
     * The engine's state, how many containers are known, and each nested spec with the
     * containers naming it (container text escaped, the line capped).
     */
    @Override
    public String describeState() {
        java.util.Map<String, java.util.List<String>> users = new java.util.TreeMap<>();
        for (ContainerRecord container : directory.all()) {
            for (String spec : container.backendSpecs().values()) {
                users.computeIfAbsent(spec, ignored -> new java.util.ArrayList<>()).add(container.name());
            }
        }
        StringBuilder line = new StringBuilder(follower.state()).append("; ").append(directory.all().size())
                .append(" running containers; nested backends open: ").append(nested.specs().size());
        for (String spec : nested.specs()) {
            if (line.length() > 2000) {
                line.append(" …");
                break;
            }
            line.append("; [").append(ContainerText.printable(spec)).append("] for ")
                    .append(ContainerText.printable(String.valueOf(users.getOrDefault(spec, java.util.List.of()))));
        }
        return line.toString();
    }

    @Override
    public Map<String, Long> counters() {
        Map<String, Long> counters = new java.util.LinkedHashMap<>(lookups.snapshot(follower.streamLosses()));
        // Full listings of the engine's containers: one at start, one after each stream loss.
        counters.put("omni_container_listings", (long) follower.syncCount());
        return counters;
    }

    /** The named container's first address, once the engine's containers were listed (bounded wait). */
    @Override
    public java.util.Optional<java.net.InetAddress> addressOfClient(String name) {
        try {
            follower.whenCurrent().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception notYet) {
            org.tinylog.Logger.warn("omni: the Docker engine's containers were not listed in time: {}", notYet.toString());
            return java.util.Optional.empty();
        }
        org.tinylog.Logger.debug("omni: looking for container [{}] among {}", name,
                directory.all().stream().map(ContainerRecord::name).toList());
        return directory.byNameOrId(name).flatMap(container -> container.addresses().stream().findFirst());
    }

    /**
     * TLS is the container's to ask for, per port ({@code BACKEND_6379_TLS=1}): from the
     * directory (memory only), for the port the client dialled. A connection without a known
     * container or original destination never got endpoints, so this is not asked for it.
     */
    @Override
    public Optional<Boolean> upstreamTls(ClientConnection connection) {
        Optional<InetSocketAddress> original = connection.originalDestination();
        if (original.isEmpty()) {
            return Optional.of(false);
        }
        int port = original.get().getPort();
        return Optional.of(directory.byAddress(ClientAddresses.normalise(connection.client().getAddress()))
                .map(container -> container.tlsPorts().contains(port)).orElse(false));
    }

    /** The client's container name, from the directory (memory only). */
    @Override
    public String describeClient(ClientConnection connection) {
        return directory.byAddress(ClientAddresses.normalise(connection.client().getAddress()))
                .map(ContainerRecord::name).orElse("");
    }

    /** Once the engine's containers were listed and their events are followed. */
    @Override
    public boolean isReady() {
        return follower.isCurrent();
    }

    @Override
    public boolean needsOriginalDestination() {
        return true;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        watch.release(retainNested);
        nested.close();
    }
}
