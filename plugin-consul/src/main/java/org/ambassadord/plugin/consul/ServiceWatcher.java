package org.ambassadord.plugin.consul;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.ambassadord.spi.ProviderContext;
import org.tinylog.Logger;

/**
 * The blocking-query loop of one {@code consul-service://} backend: read the service's health,
 * apply Consul's index rules, keep the instances the spec's health rule and tags admit, publish
 * their addresses with their weights, and read again, paced by a token bucket; after a failure
 * wait with backoff and keep serving the last set. The same rules as {@link KvWatcher}.
 *
 * <p><b>Threading.</b> {@link #run()} is the backend's own daemon thread; {@link #stop()} from
 * any thread, after which the caller closes the reader and interrupts the thread.
 */
final class ServiceWatcher implements Runnable {

    private static final int BURST = 2;
    private static final Duration REFILL = Duration.ofMillis(250);

    private final ServiceSpec spec;
    private final HealthReader reader;
    private final EndpointCache cache;
    private final Consumer<Map<InetSocketAddress, ServiceInstance>> instances;
    private final Backoff backoff;
    private final ConsulCounters counters;
    private final BlockingIndex index = new BlockingIndex();
    private final TokenBucket pacing = new TokenBucket(BURST, REFILL, System::nanoTime);
    private volatile boolean stopped;
    private volatile String lastCounts = "no answer yet";
    private boolean failing;
    private List<InetSocketAddress> published;
    private List<String> reportedProblems = List.of();

    /**
     * @param instances receives the instance of each endpoint of a set, before the set is published
     */
    ServiceWatcher(ServiceSpec spec, HealthReader reader, EndpointCache cache,
                   Consumer<Map<InetSocketAddress, ServiceInstance>> instances, Backoff backoff, ConsulCounters counters) {
        this.spec = spec;
        this.reader = reader;
        this.cache = cache;
        this.instances = instances;
        this.backoff = backoff;
        this.counters = counters;
    }

    @Override
    public void run() {
        Logger.debug("watching {} with blocking queries (wait {} s)", spec.describe(), spec.waitTime().toSeconds());
        try {
            while (!stopped) {
                pacing.acquire();
                HealthReader.HealthRead read;
                try {
                    read = reader.read(index.current());
                } catch (RuntimeException e) {
                    if (!stopped) {
                        onFailure(e);
                    }
                    continue;
                }
                onSuccess(read);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Logger.debug("stopped watching {}", spec.describe());
    }

    private void onSuccess(HealthReader.HealthRead read) {
        counters.queried();
        if (failing) {
            Logger.info("{} answers again", spec.describe());
            failing = false;
        }
        backoff.reset();
        if (index.update(read.index()) == BlockingIndex.Update.RESET_BACKWARDS) {
            counters.indexReset();
            Logger.info("{}: X-Consul-Index went backwards to [{}]; reading afresh", spec.describe(), read.index());
        }
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

    private void onFailure(RuntimeException error) throws InterruptedException {
        counters.queryFailed();
        if (AnswerSizeCap.isTooLong(error)) {
            counters.answerRefused();
        }
        String reason = KvWatcher.describe(error);
        cache.recordFailure(reason);
        index.reset();
        Duration delay = backoff.next();
        if (!failing) {
            Logger.warn("{} does not answer ({}); {}, retrying with backoff", spec.describe(), reason,
                    published == null ? "no instances known yet" : "serving the last healthy set");
            failing = true;
        } else {
            Logger.debug("{} still does not answer ({}); retrying in {} ms", spec.describe(), reason, delay.toMillis());
        }
        TimeUnit.MILLISECONDS.sleep(delay.toMillis());
    }

    /** Counts of the last answer, for {@code /status}. */
    String lastCounts() {
        return lastCounts;
    }

    void stop() {
        stopped = true;
    }
}
