package org.ambassadord.spi.testkit;

import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.ambassadord.spi.Backend;
import org.ambassadord.spi.BackendProvider;
import org.ambassadord.spi.BackendSpecException;
import org.ambassadord.spi.ProviderContext;

/**
 * A {@link ProviderContext} for provider tests: a real scheduler, an injected environment,
 * and nested specs opened by a given list of providers (chosen by scheme only).
 */
public final class TestProviderContext implements ProviderContext, AutoCloseable {

    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "test-provider-context");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, String> environment;
    private final BackendProvider[] nestedProviders;

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
