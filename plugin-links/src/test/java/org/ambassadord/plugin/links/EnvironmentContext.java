package org.ambassadord.plugin.links;

import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;

import org.ambassadord.spi.Backend;
import org.ambassadord.spi.BackendSpecException;
import org.ambassadord.spi.ProviderContext;

/**
 * A context with a given environment and a scheduler the test owns: one test holds the
 * scheduler's only thread to prove that resolve() never waits for a look-up.
 */
record EnvironmentContext(Map<String, String> environment, ScheduledExecutorService scheduler) implements ProviderContext {

    @Override
    public Backend open(String spec) throws BackendSpecException {
        throw new BackendSpecException("links mode opens no nested specs, asked for [" + spec + "]");
    }
}
