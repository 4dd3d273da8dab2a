package org.ambassadord.spi.testkit;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.ambassadord.spi.Backend;
import org.ambassadord.spi.BackendProvider;
import org.ambassadord.spi.BackendSpecException;
import org.ambassadord.spi.ProviderContext;

/**
 * A {@link ProviderContext} for provider tests: a real scheduler, an injected environment,
 * and nested specs opened by a given list of providers (chosen by scheme only). Its
 * {@link #forContainer} contexts open the same way but record who asked, and authenticate
 * only to {@link #containerCredentialHosts the hosts a test names}: the real policy lives in
 * the core and is tested there and end to end.
 */
public final class TestProviderContext implements ProviderContext, AutoCloseable {

    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "test-provider-context");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, String> environment;
    private final BackendProvider[] nestedProviders;
    private final List<String> openedForContainers = new CopyOnWriteArrayList<>();
    private volatile Set<String> containerCredentialHosts = Set.of();

    public TestProviderContext(Map<String, String> environment, BackendProvider... nestedProviders) {
        this.environment = Map.copyOf(environment);
        this.nestedProviders = nestedProviders.clone();
    }

    public TestProviderContext() {
        this(Map.of());
    }

    @Override
    public Backend open(String spec) throws BackendSpecException {
        for (BackendProvider provider : nestedProviders) {
            if (spec.startsWith(provider.scheme() + "://") || provider.claimsSchemelessSpec(spec)) {
                return provider.open(spec, this);
            }
        }
        throw new BackendSpecException("no provider for spec [" + spec + "] in this test");
    }

    /** A context that opens like this one, records {@code id spec} and checks credential hosts. */
    @Override
    public ProviderContext forContainer(String containerId, String containerName) {
        TestProviderContext operator = this;
        return new ProviderContext() {
            @Override
            public Backend open(String spec) throws BackendSpecException {
                openedForContainers.add(containerId + " " + spec);
                return operator.open(spec);
            }

            @Override
            public ScheduledExecutorService scheduler() {
                return operator.scheduler();
            }

            @Override
            public Map<String, String> environment() {
                return operator.environment();
            }

            @Override
            public ProviderContext forContainer(String id, String name) {
                return this;
            }

            @Override
            public boolean mayAuthenticateTo(String host, int port) {
                return containerCredentialHosts.contains(host);
            }

            @Override
            public boolean containerChosen() {
                return true;
            }
        };
    }

    /** Every {@code containerId spec} opened through a {@link #forContainer} context, in order. */
    public List<String> openedForContainers() {
        return List.copyOf(openedForContainers);
    }

    /** The hosts {@link #forContainer} contexts may authenticate to (none by default). */
    public void containerCredentialHosts(Set<String> hosts) {
        containerCredentialHosts = Set.copyOf(hosts);
    }

    @Override
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    @Override
    public Map<String, String> environment() {
        return environment;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
