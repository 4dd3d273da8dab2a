package org.ambassadord.core.plugin;

import java.util.List;

import org.ambassadord.spi.BackendProvider;
import org.ambassadord.spi.NetworkSetup;
import org.ambassadord.spi.OriginalDestinationLookup;

/** Everything the boot layer and the plugins directory provide, and the plugins that failed. */
public record InstalledServices(
        List<Discovered<BackendProvider>> backendProviders,
        List<Discovered<NetworkSetup>> networkSetups,
        List<Discovered<OriginalDestinationLookup>> originalDestinationLookups,
        List<PluginFailure> failures) {

    public InstalledServices {
        backendProviders = List.copyOf(backendProviders);
        networkSetups = List.copyOf(networkSetups);
        originalDestinationLookups = List.copyOf(originalDestinationLookups);
        failures = List.copyOf(failures);
    }
}
