package org.ambassadord.plugin.consul;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.ambassadord.spi.ProviderContext;
import org.tinylog.Logger;

/**
 * What one {@code consul-service://} backend does with each answer of its blocking-query loop
 * ({@link BlockingQueryLoop}): keep the instances the spec's health rule and tags admit, resolve
 * their addresses, publish them with their instances (weights, for the balancer), and log a
 * changed set or changed problems once. Watcher thread only, but {@link #lastCounts()}.
 */
final class ServiceWatcher extends BlockingQueryLoop<HealthReader.HealthRead> {

    private final ServiceSpec spec;
    private final HealthReader reader;
    private final EndpointCache cache;
    private final Consumer<Map<InetSocketAddress, ServiceInstance>> instances;
    private volatile String lastCounts = "no answer yet";
    private List<InetSocketAddress> published;
    private List<String> reportedProblems = List.of();

    /**
     * @param instances receives the instance of each endpoint of a set, before the set is published
     */
    ServiceWatcher(ServiceSpec spec, HealthReader reader, EndpointCache cache,
                   Consumer<Map<InetSocketAddress, ServiceInstance>> instances, Backoff backoff, ConsulCounters counters) {
        super(spec.describe(), spec.waitTime(), cache, backoff, counters);
        this.spec = spec;
        this.reader = reader;
        this.cache = cache;
        this.instances = instances;
    }

    @Override
    protected HealthReader.HealthRead read(long index) {
        return reader.read(index);
    }

    @Override
    protected Long indexOf(HealthReader.HealthRead answer) {
        return answer.index();
    }

    @Override
    protected boolean hasPublished() {
        return published != null;
    }

    @Override
    protected void onAnswer(HealthReader.HealthRead read) {
        List<String> problems = new ArrayList<>(read.answer().skipped());
        Map<InetSocketAddress, ServiceInstance> serving = new LinkedHashMap<>();
        int unhealthy = 0;
        int untagged = 0;
        for (ServiceInstance instance : read.answer().instances()) {
            if (!instance.tags().containsAll(spec.tags())) {
                untagged++;
            } else if (!instance.serves(spec.health())) {
                unhealthy++;
            } else {
                // Two instances at one address and port: the heavier one speaks for both.
                address(instance, problems).ifPresent(address -> serving.merge(address, instance,
                        (kept, other) -> other.weight() > kept.weight() ? other : kept));
            }
        }
        lastCounts = serving.size() + " serving, " + unhealthy + " filtered out by health, " + untagged + " by tags";
        instances.accept(Map.copyOf(serving));
        List<InetSocketAddress> endpoints = List.copyOf(serving.keySet());
        cache.publish(new EndpointSnapshot(endpoints, endpoints.isEmpty() ? "no instance of " + spec.describe()
                + " serves (" + lastCounts + ")" : spec.describe(), index.current()));
        report(endpoints, problems);
    }

    /** The instance's address: a literal parsed here, a name resolved on this thread. */
    private Optional<InetSocketAddress> address(ServiceInstance instance, List<String> problems) {
        try {
            Optional<InetAddress> literal = ProviderContext.ipLiteral(instance.host());
            InetAddress address = literal.isPresent() ? literal.get() : InetAddress.getByName(instance.host());
            return Optional.of(new InetSocketAddress(address, instance.port()));
        } catch (IllegalArgumentException | UnknownHostException e) {
            problems.add("instance [" + ProviderContext.printable(instance.id()) + "] address ["
                    + ProviderContext.printable(instance.host()) + "] skipped: " + ProviderContext.printable(e.getMessage()));
            return Optional.empty();
        }
    }

    private void report(List<InetSocketAddress> endpoints, List<String> problems) {
        if (!problems.equals(reportedProblems)) {
            problems.forEach(problem -> Logger.warn("{}: {}", spec.describe(), problem));
            reportedProblems = problems;
        }
        if (endpoints.equals(published)) {
            return;
        }
        if (endpoints.isEmpty()) {
            Logger.warn("{}: no healthy instance ({}); refusing connections until there is", spec.describe(), lastCounts);
        } else {
            Logger.info("{}: instances {} ({})", spec.describe(), endpoints, lastCounts);
        }
        published = endpoints;
    }

    /** Counts of the last answer, for {@code /status}. */
    String lastCounts() {
        return lastCounts;
    }
}
