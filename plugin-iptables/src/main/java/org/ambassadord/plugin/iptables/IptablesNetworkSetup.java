package org.ambassadord.plugin.iptables;

import java.io.PrintStream;
import java.util.Optional;

import org.ambassadord.spi.NetworkSetup;
import org.ambassadord.spi.NetworkSetupRequest;

/**
 * {@code --setup-iptables} / {@code --teardown-iptables}: sends every incoming TCP connection
 * of the current network namespace to the omni listener with an iptables {@code REDIRECT},
 * so that the relay learns the dialled port from {@code SO_ORIGINAL_DST}.
 *
 * <p>Everything it adds lives in the nat chain {@code AMBASSADORD_PREROUTING} plus one jump
 * from {@code PREROUTING}; both are applied atomically with {@code iptables-restore
 * --noflush}, a second run changes nothing, and the teardown removes exactly those. IPv6
 * gets the same rules through {@code ip6tables} when the namespace has IPv6 addresses.
 *
 * <p>Called on the start-up thread; runs external programs and blocks until they finish.
 */
public final class IptablesNetworkSetup implements NetworkSetup {

    private static final String IF_INET6 = "/proc/net/if_inet6";

    private final CommandRunner runner;

    /** The production set-up: runs the iptables programs of this process's namespace. */
    public IptablesNetworkSetup() {
        this(ProcessCommandRunner.local());
    }

    IptablesNetworkSetup(CommandRunner runner) {
        this.runner = runner;
    }

    @Override
    public String name() {
        return "iptables";
    }

    @Override
    public void apply(NetworkSetupRequest request) throws NetworkSetupException {
        checkPort(request.redirectPort(), "redirect port");
        for (int port : request.excludedPorts()) {
            checkPort(port, "excluded port");
        }
        RulePlan plan = RulePlan.redirect(request.redirectPort(), request.excludedPorts());
        if (request.dryRun()) {
            printDryRun(request, plan);
            return;
        }
        IptablesVariant variant = VariantDetector.detect(runner);
        IptablesTool ipv4 = IptablesTool.locate(runner, variant, IpFamily.IPV4)
                .orElseThrow(() -> new NetworkSetupException(VariantDetector.NOT_FOUND));
        Optional<IptablesTool> ipv6 = IptablesTool.locate(runner, variant, IpFamily.IPV6);
        PrintStream out = request.out();
        switch (request.action()) {
            case SETUP -> {
                new NatRulesInstaller(ipv4, out).install(plan);
                if (!namespaceHasIpv6()) {
                    out.println("ip6tables: the network namespace has no IPv6 address, no IPv6 rules needed");
                } else if (ipv6.isEmpty()) {
                    out.println("warning: " + variant.program(IpFamily.IPV6, "restore")
                            + " not found: IPv6 connections are not redirected");
                } else {
                    new NatRulesInstaller(ipv6.get(), out).install(plan);
                }
            }
            case TEARDOWN -> {
                new NatRulesInstaller(ipv4, out).remove();
                if (ipv6.isPresent()) {
                    removeIpv6(ipv6.get(), out);
                }
            }
        }
    }

    /**
     * IPv6 rules may exist from a set-up made while the namespace had IPv6, so teardown looks
     * regardless; but without IPv6 a failing ip6tables is expected and not an error.
     */
    private void removeIpv6(IptablesTool ipv6, PrintStream out) throws NetworkSetupException {
        try {
            new NatRulesInstaller(ipv6, out).remove();
        } catch (NetworkSetupException e) {
            if (namespaceHasIpv6()) {
                throw e;
            }
            out.println("ip6tables: skipped, the namespace has no IPv6 (" + e.getMessage() + ")");
        }
    }

    private boolean namespaceHasIpv6() {
        return runner.readFile(IF_INET6).filter(content -> !content.isBlank()).isPresent();
    }

    /**
     * Prints the payload without running anything, so it works without privileges and can be
     * piped into {@code iptables-restore --noflush} by hand ({@code #} lines are comments).
     */
    private static void printDryRun(NetworkSetupRequest request, RulePlan plan) {
        PrintStream out = request.out();
        boolean setup = request.action() == NetworkSetupRequest.Action.SETUP;
        out.println("# dry run: " + (setup ? plan.summary() : "removing the ambassadord rules"));
        out.println("# payload for iptables-restore --noflush, and for ip6tables-restore --noflush"
                + " when the namespace has IPv6");
        out.print(setup ? RestoreScript.install(plan) : RestoreScript.remove(plan));
    }

    private static void checkPort(int port, String what) throws NetworkSetupException {
        if (port < 1 || port > 65535) {
            throw new NetworkSetupException(what + " [" + port + "] is out of range 1-65535");
        }
    }
}
