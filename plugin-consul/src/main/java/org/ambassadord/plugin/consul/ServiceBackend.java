package org.ambassadord.plugin.consul;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

import org.ambassadord.spi.Backend;
import org.ambassadord.spi.ClientConnection;
import org.ambassadord.spi.ProviderContext;

/**
 * The healthy instances of one Consul service, kept fresh by a {@link ServiceWatcher} on the
 * backend's own daemon thread, each with the weight the service registered.
 *
 * <p><b>Threading.</b> {@link #resolve} and {@link #weightOf} run on the event loop and read
 * only what the watcher published; {@link #close()} from any thread but the loop.
 */
final class ServiceBackend implements Backend {

    private final ServiceSpec spec;
    private final EndpointCache cache;
    private final ServiceWatcher watcher;
    private final WatchThread watch;
    private final ConsulCounters counters = new ConsulCounters();
    /** The instance behind each endpoint; published by the watcher before the endpoints. */
    private volatile Map<InetSocketAddress, ServiceInstance> instances = Map.of();

    ServiceBackend(ServiceSpec spec, Optional<String> token, Optional<ConsulTls> tls, ProviderContext context,
                   ConsulBackend.Timing timing, ConsulHttpClients clients) {
        this.spec = spec;
        HealthReader reader = new HealthReader(spec, token, tls, clients, new AgentAddressCheck(spec.agent(), context));
        this.cache = new EndpointCache(spec.describe(), context.scheduler(), timing.firstReadTimeout());
        this.watcher = new ServiceWatcher(spec, reader, cache, published -> instances = published,
                new Backoff(timing.initialBackoff(), timing.maxBackoff()), counters);
        this.watch = new WatchThread("consul-service " + spec.agent() + "/" + spec.service(), watcher, reader, cache);
    }

    @Override
    public CompletionStage<List<InetSocketAddress>> resolve(ClientConnection connection) {
        return cache.resolve();
    }

    /** The instance's registered weight ({@code Weights.Passing}, or {@code .Warning} while warning). */
    @Override
    public int weightOf(InetSocketAddress endpoint) {
        ServiceInstance instance = instances.get(endpoint);
        return instance == null ? 1 : instance.weight();
    }

    /** For {@code --check}: the instance's id, node, health and tags. */
    @Override
    public String describeEndpoint(InetSocketAddress endpoint) {
        ServiceInstance instance = instances.get(endpoint);
        return instance == null ? "" : "instance " + instance.id() + " on node " + instance.node() + ", "
                + instance.status().name().toLowerCase(java.util.Locale.ROOT) + ", tags " + instance.tags();
    }

    /** With {@code near}, Consul's order is nearest first and is kept; otherwise the balancer spreads. */
    @Override
    public boolean ordersEndpoints() {
        return spec.near().isPresent();
    }

    @Override
    public Set<Integer> listenPorts() {
        return Set.of(ConsulBackend.LISTEN_PORT);
    }

    @Override
    public String describeState() {
        EndpointSnapshot snapshot = cache.current();
        return snapshot == null ? "Consul has not answered yet"
                : spec.describe() + " at X-Consul-Index " + snapshot.index() + ": " + watcher.lastCounts();
    }

    @Override
    public boolean isReady() {
        return cache.current() != null;
    }

    @Override
    public Map<String, Long> counters() {
        return counters.snapshot();
    }

    /** The latest set, or {@code null} before the first read; for tests and diagnostics. */
    EndpointSnapshot snapshot() {
        return cache.current();
    }

    @Override
    public void close() {
        watch.close();
    }
}
