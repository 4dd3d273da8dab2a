package org.ambassadord.core.relay;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import org.ambassadord.spi.Backend;
import org.ambassadord.spi.ClientConnection;

/** A test backend: endpoints computed by a function of the connection. */
final class FixedBackend implements Backend {

    private final Function<ClientConnection, CompletionStage<List<InetSocketAddress>>> resolver;
    private final boolean needsOriginalDestination;
    private final boolean ordered;
    private volatile boolean closed;

    private FixedBackend(Function<ClientConnection, CompletionStage<List<InetSocketAddress>>> resolver,
                         boolean needsOriginalDestination, boolean ordered) {
        this.resolver = resolver;
        this.needsOriginalDestination = needsOriginalDestination;
        this.ordered = ordered;
    }

    private FixedBackend(Function<ClientConnection, CompletionStage<List<InetSocketAddress>>> resolver) {
        this(resolver, false, false);
    }

    /** The same backend, asking the relay for each connection's original destination (as omni does). */
    FixedBackend needingOriginalDestination() {
        return new FixedBackend(resolver, true, ordered);
    }

    /** The same backend, its endpoints tried in the order given (not balanced). */
    FixedBackend ordered() {
        return new FixedBackend(resolver, needsOriginalDestination, true);
    }

    @Override
    public boolean ordersEndpoints() {
        return ordered;
    }

    @Override
    public boolean needsOriginalDestination() {
        return needsOriginalDestination;
    }

    static FixedBackend of(InetSocketAddress... endpoints) {
        List<InetSocketAddress> list = List.of(endpoints);
        return new FixedBackend(connection -> CompletableFuture.completedFuture(list));
    }

    static FixedBackend resolvingWith(Function<ClientConnection, CompletionStage<List<InetSocketAddress>>> resolver) {
        return new FixedBackend(resolver);
    }

    @Override
    public CompletionStage<List<InetSocketAddress>> resolve(ClientConnection connection) {
        return resolver.apply(connection);
    }

    @Override
    public Set<Integer> listenPorts() {
        return Set.of(0);
    }

    @Override
    public void close() {
        closed = true;
    }

    boolean isClosed() {
        return closed;
    }
}
