package org.ambassadord.plugin.etcd;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.ambassadord.spi.ProviderContext;
import org.tinylog.Logger;

/**
 * Turns the values of the backend nodes into resolved socket addresses: each value holds one
 * {@code host:port} (or {@code [v6]:port}), or several separated by commas; an invalid entry
 * or a name that does not resolve is skipped and logged.
 *
 * <p>Host names are resolved here, on the {@link EtcdWatcher}'s own thread, because the relay
 * needs resolved addresses and must never look a name up on its event loop. Resolved names
 * are cached so that a watch event re-resolves only new names; {@link #forget()} drops the
 * cache at every full read, which is how a changed DNS record is eventually picked up.
 *
 * <p>Not thread-safe: owned by one {@link EtcdWatcher} thread.
 */
final class BackendResolver {

    /** A backend list is a few hundred bytes: a longer value is skipped, not split and parsed. */
    static final int MAX_VALUE_CHARS = 64 << 10;
    /** Distinct problems remembered; past it the memory starts afresh (a store may hold many bad values). */
    private static final int MAX_REPORTED = 1024;

    private final String key;
    private final Map<HostPort, InetSocketAddress> resolved = new HashMap<>();
    /** Problems already logged, so that every watch event does not repeat the same warning. */
    private final Set<String> reported = new HashSet<>();
    /** Values skipped for their size, each time a read or event carried one; read by the admin server. */
    private final java.util.concurrent.atomic.LongAdder valuesRefused = new java.util.concurrent.atomic.LongAdder();

    /** How a host name becomes an address: the JDK's resolver in production. */
    interface HostLookup {
        InetAddress lookup(String host) throws UnknownHostException;
    }

    private final HostLookup lookup;

    /** @param key the spec's key, named in the log lines */
    BackendResolver(String key) {
        this(key, InetAddress::getByName);
    }

    /**
     * @param key    the spec's key, named in the log lines
     * @param lookup resolves host names (never literals, which are parsed here)
     */
    BackendResolver(String key, HostLookup lookup) {
        this.key = ProviderContext.printable(key);
        this.lookup = lookup;
    }

    /** The addresses of the nodes' values, in order and without duplicates. */
    List<InetSocketAddress> addressesOf(List<NodeSnapshot.Node> nodes) {
        Set<InetSocketAddress> addresses = new LinkedHashSet<>();
        for (NodeSnapshot.Node node : nodes) {
            if (node.value().length() > MAX_VALUE_CHARS) {
                valuesRefused.increment();
                reportOnce("etcd key [" + ProviderContext.printable(node.key()) + "] of [" + key + "] holds a value of "
                        + node.value().length() + " characters, above the 64 KiB a backend list may have; skipped");
                continue;
            }
            for (String entry : node.value().split(",", -1)) {
                HostPort endpoint = parse(entry.strip(), node);
                InetSocketAddress address = endpoint == null ? null : resolve(endpoint, node);
                if (address != null) {
                    addresses.add(address);
                }
            }
        }
        return List.copyOf(addresses);
    }

    /** Values skipped for their size so far. Any thread. */
    long valuesRefused() {
        return valuesRefused.sum();
    }

    /** Drops cached look-ups and reported problems: the next {@link #addressesOf} starts afresh. */
    void forget() {
        resolved.clear();
        reported.clear();
    }

    private HostPort parse(String entry, NodeSnapshot.Node node) {
        try {
            return EndpointParser.parse(entry);
        } catch (IllegalArgumentException e) {
            reportOnce("etcd key [" + ProviderContext.printable(node.key()) + "] of [" + key + "] holds ["
                    + ProviderContext.printable(node.value()) + "], not host:port; skipped: "
                    + ProviderContext.printable(e.getMessage()));
            return null;
        }
    }

    private InetSocketAddress resolve(HostPort endpoint, NodeSnapshot.Node node) {
        InetSocketAddress cached = resolved.get(endpoint);
        if (cached != null) {
            return cached;
        }
        try {
            // A literal is parsed without a look-up; a name blocks this (our own) thread only.
            Optional<InetAddress> literal = ProviderContext.ipLiteral(endpoint.host());
            InetSocketAddress address = new InetSocketAddress(
                    literal.isPresent() ? literal.get() : lookup.lookup(endpoint.host()), endpoint.port());
            resolved.put(endpoint, address);
            return address;
        } catch (UnknownHostException e) {
            reportOnce("cannot resolve [" + ProviderContext.printable(endpoint.host()) + "] of etcd key ["
                    + ProviderContext.printable(node.key()) + "]; skipped until the next read: "
                    + ProviderContext.printable(e.getMessage()));
            return null;
        }
    }

    private void reportOnce(String message) {
        if (reported.size() >= MAX_REPORTED) {
            reported.clear();
        }
        if (reported.add(message)) {
            Logger.warn(message);
        }
    }
}
