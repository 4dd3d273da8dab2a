package org.ambassadord.core.cli;

import java.io.PrintStream;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.ambassadord.core.plugin.Discovered;
import org.ambassadord.spi.NetworkSetup;
import org.ambassadord.spi.NetworkSetupRequest;

/** {@code --setup-iptables} and {@code --teardown-iptables}: run the installed setup, then exit. */
final class NetworkSetupCommand {

    /** The port omni mode listens on, where the rules send connections. */
    private static final int OMNI_PORT = 10000;
    private static final String SETUP_NAME = "iptables";

    private final List<Discovered<NetworkSetup>> setups;
    private final PrintStream out;
    private final PrintStream err;

    NetworkSetupCommand(List<Discovered<NetworkSetup>> setups, PrintStream out, PrintStream err) {
        this.setups = setups;
        this.out = out;
        this.err = err;
    }

    int run(Options options) throws UsageException {
        if (options.setupIptables && options.teardownIptables) {
            throw new UsageException("choose --setup-iptables or --teardown-iptables, not both");
        }
        NetworkSetup setup = setups.stream()
                .map(Discovered::service)
                .filter(candidate -> SETUP_NAME.equals(candidate.name()))
                .findFirst()
                .orElseThrow(() -> new UsageException((options.setupIptables ? "--setup-iptables" : "--teardown-iptables")
                        + " needs the plugin-iptables module, which is not installed; see --list-providers"));
        int redirectPort = options.port != null ? options.port : OMNI_PORT;
        Set<Integer> excluded = new HashSet<>(options.excludePorts);
        NetworkSetupRequest request = new NetworkSetupRequest(
                options.setupIptables ? NetworkSetupRequest.Action.SETUP : NetworkSetupRequest.Action.TEARDOWN,
                redirectPort, excluded, options.dryRun, out);
        try {
            setup.apply(request);
            return Cli.OK;
        } catch (NetworkSetup.NetworkSetupException e) {
            err.println("ambassadord: " + e.getMessage());
            return Cli.FAILED;
        }
    }
}
