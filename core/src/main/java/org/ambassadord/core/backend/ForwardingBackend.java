package org.ambassadord.core.backend;

import java.util.Set;

import org.ambassadord.spi.Backend;

/**
 * A backend that wraps another and changes only how it answers ({@link #resolve}): every
 * other method is the inner backend's ({@code ForwardingBackendTest} holds it to every method
 * of {@link Backend}, so that a default method the SPI gains is never answered by the default
 * instead of the inner backend: weights were lost that way once). The core wraps the operator's backend this way to
 * watch it (admin) and to police its answers (policy).
 */
public abstract class ForwardingBackend implements Backend {

    protected final Backend inner;

    protected ForwardingBackend(Backend inner) {
        this.inner = inner;
    }

    @Override
    public Set<Integer> listenPorts() {
        return inner.listenPorts();
    }

    @Override
    public boolean ordersEndpoints() {
        return inner.ordersEndpoints();
    }

    @Override
    public int weightOf(java.net.InetSocketAddress endpoint) {
        return inner.weightOf(endpoint);
    }

    @Override
    public String describeEndpoint(java.net.InetSocketAddress endpoint) {
        return inner.describeEndpoint(endpoint);
    }

    @Override
    public java.util.Optional<Boolean> upstreamTls(org.ambassadord.spi.ClientConnection connection) {
        return inner.upstreamTls(connection);
    }

    @Override
    public boolean needsOriginalDestination() {
        return inner.needsOriginalDestination();
    }

    @Override
    public boolean isReady() {
        return inner.isReady();
    }

    @Override
    public String describeState() {
        return inner.describeState();
    }

    @Override
    public java.util.Map<String, Long> counters() {
        return inner.counters();
    }

    @Override
    public String describeClient(org.ambassadord.spi.ClientConnection connection) {
        return inner.describeClient(connection);
    }

    @Override
    public java.util.Optional<java.net.InetAddress> addressOfClient(String name) {
        return inner.addressOfClient(name);
    }

    @Override
    public void close() {
        inner.close();
    }
}
