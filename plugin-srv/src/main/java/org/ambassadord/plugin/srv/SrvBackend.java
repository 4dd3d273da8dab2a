package org.ambassadord.plugin.srv;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;

import org.ambassadord.spi.Backend;
import org.ambassadord.spi.ClientConnection;
import org.ambassadord.spi.ProviderContext;

/**
 * The backends behind one SRV name: answers from a {@link SrvAnswerCache} that refreshes in
 * the background, ordered per connection by {@link Rfc2782Order}.
 */
final class SrvBackend implements Backend {

    /** The seed's port for discovered backends. */
    static final int LISTEN_PORT = 10000;

    private final SrvSpec spec;
    private final SrvAnswerCache cache;

    /** Opens the backend and starts the first look-up in the background; no I/O here. */
    SrvBackend(SrvSpec spec, ProviderContext context) {
        this.spec = spec;
        SrvLookup lookup = new SrvLookup(spec, new DnsClient(spec.dnsServer(), context.scheduler()));
        this.cache = new SrvAnswerCache(spec.displayName(), lookup::run, context.scheduler());
        cache.start();
    }

    /**
     * The current answer's endpoints in RFC 2782 order, freshly shuffled for this connection.
     * Called on the event loop: reads the cache, never the network. Before the first DNS
     * answer the stage completes when it arrives; a name without usable targets refuses the
     * connection with the reason.
     */
    @Override
    public CompletionStage<List<InetSocketAddress>> resolve(ClientConnection connection) {
        return cache.answer().thenCompose(answer -> answer.isEmpty()
                ? CompletableFuture.failedFuture(new ServiceUnavailableException(answer.refusal()))
                : CompletableFuture.completedFuture(Rfc2782Order.endpoints(answer.entries(), ThreadLocalRandom.current())));
    }

    @Override
    public Set<Integer> listenPorts() {
        return Set.of(LISTEN_PORT);
    }

    @Override
    public String describeState() {
        SrvAnswer answer = cache.current();
        if (answer == null) {
            return "no DNS answer yet";
        }
        return answer.isEmpty() ? "DNS refuses: " + answer.refusal()
                : answer.entries().size() + " SRV targets, kept for their TTL of " + answer.ttl().toSeconds() + " s";
    }

    /** Once the first DNS answer is in. */
    @Override
    public boolean isReady() {
        return cache.hasAnswer();
    }

    /**
     * The RFC 2782 weight of the endpoint's target. The relay does not ask (this backend orders
     * its endpoints by weight itself, weight 0 keeping its small chance); {@code --check} shows it.
     */
    @Override
    public int weightOf(InetSocketAddress endpoint) {
        SrvEntry entry = entryOf(endpoint);
        return entry == null ? 1 : entry.weight();
    }

    /** For {@code --check}: the target and its priority. */
    @Override
    public String describeEndpoint(InetSocketAddress endpoint) {
        SrvEntry entry = entryOf(endpoint);
        return entry == null ? "" : "target " + entry.target() + ", priority " + entry.priority();
    }

    private SrvEntry entryOf(InetSocketAddress endpoint) {
        SrvAnswer answer = cache.current();
        if (answer == null) {
            return null;
        }
        for (SrvEntry entry : answer.entries()) {
            if (entry.port() == endpoint.getPort() && entry.addresses().contains(endpoint.getAddress())) {
                return entry;
            }
        }
        return null;
    }

    /** Always true: the relay must try the endpoints in RFC 2782 order. */
    @Override
    public boolean ordersEndpoints() {
        return true;
    }

    @Override
    public void close() {
        cache.close();
    }

    /** The answer cache, for tests that watch the refresh chain. */
    SrvAnswerCache cache() {
        return cache;
    }

    @Override
    public String toString() {
        return "srv backend [" + spec.text() + "]";
    }
}
