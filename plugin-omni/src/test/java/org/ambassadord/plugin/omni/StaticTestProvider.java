package org.ambassadord.plugin.omni;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.ambassadord.spi.Backend;
import org.ambassadord.spi.BackendProvider;
import org.ambassadord.spi.BackendSpecException;
import org.ambassadord.spi.ProviderContext;

/**
 * Stands in for the core's dispatcher and the static provider in omni tests: serves
 * {@code <ip>:<port>} specs (IP literals only) and counts how often each spec was opened and
 * closed, so tests can check that omni opens a spec once and closes it when unused.
 */
final class StaticTestProvider implements BackendProvider {

    final Map<String, AtomicInteger> opened = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> closed = new ConcurrentHashMap<>();

    @Override
    public String scheme() {
        return "static";
    }

    @Override
    public boolean claimsSchemelessSpec(String spec) {
        return spec.matches("[0-9.]+:\\d+");
    }

    @Override
    public Backend open(String spec, ProviderContext context) throws BackendSpecException {
        String[] parts = spec.replaceFirst("^static://", "").split(":");
        InetSocketAddress address;
        try {
            address = new InetSocketAddress(InetAddress.getByName(parts[0]), Integer.parseInt(parts[1]));
        } catch (UnknownHostException | RuntimeException e) {
            throw new BackendSpecException("bad static spec [" + spec + "]");
        }
        opened.computeIfAbsent(spec, s -> new AtomicInteger()).incrementAndGet();
        return new Backend() {
            @Override
            public CompletionStage<List<InetSocketAddress>> resolve(org.ambassadord.spi.ClientConnection connection) {
                return CompletableFuture.completedFuture(List.of(address));
            }

            @Override
            public Set<Integer> listenPorts() {
                return Set.of(address.getPort());
            }

            @Override
            public void close() {
                closed.computeIfAbsent(spec, s -> new AtomicInteger()).incrementAndGet();
            }
        };
    }

    int opens(String spec) {
        return opened.getOrDefault(spec, new AtomicInteger()).get();
    }

    int closes(String spec) {
        return closed.getOrDefault(spec, new AtomicInteger()).get();
    }
}
