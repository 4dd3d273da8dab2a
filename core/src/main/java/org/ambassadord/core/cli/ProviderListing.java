package org.ambassadord.core.cli;

import java.io.PrintStream;
import java.util.Comparator;
import java.util.List;

import org.ambassadord.core.plugin.Discovered;
import org.ambassadord.core.plugin.InstalledServices;
import org.ambassadord.spi.BackendProvider;

/** {@code --list-providers}: one line per provider and service, then the plugins that failed. */
final class ProviderListing {

    private static final String ROW = "%-10s %-34s %-8s %-22s %s%n";

    private final PrintStream out;

    ProviderListing(PrintStream out) {
        this.out = out;
    }

    void print(InstalledServices services) {
        out.printf(ROW, "SCHEME", "MODULE", "VERSION", "FROM", "SPEC");
        List<Discovered<BackendProvider>> providers = services.backendProviders().stream()
                .sorted(Comparator.comparing(provider -> provider.service().scheme()))
                .toList();
        for (Discovered<BackendProvider> provider : providers) {
            out.printf(ROW, provider.service().scheme(), provider.module(), provider.version(), provider.origin(),
                    provider.service().description());
        }
        services.networkSetups().forEach(setup -> out.printf(ROW, "(setup)", setup.module(), setup.version(),
                setup.origin(), "--setup-iptables / --teardown-iptables: " + setup.service().name()));
        services.originalDestinationLookups().forEach(lookup -> out.printf(ROW, "(lookup)", lookup.module(),
                lookup.version(), lookup.origin(), "original destination of redirected connections"));
        if (!services.failures().isEmpty()) {
            out.println();
            out.println("plugins that failed to load:");
            services.failures().forEach(failure -> out.println("  " + failure.plugin() + ": " + failure.reason()));
        }
    }
}
