package org.ambassadord.plugin.iptables;

import static org.ambassadord.plugin.iptables.NamespaceIptables.natTables;
import static org.ambassadord.plugin.iptables.NamespaceIptables.runnerIn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.module.ModuleDescriptor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.ambassadord.spi.NetworkSetup;
import org.ambassadord.spi.NetworkSetup.NetworkSetupException;
import org.ambassadord.spi.NetworkSetupRequest;
import org.ambassadord.spi.NetworkSetupRequest.Action;
import org.ambassadord.spi.testkit.NetworkNamespaces;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Choosing the iptables variant, and the messages for a system that cannot do the set-up. */
class LegacyAndMissingIptablesTest {

    @Test
    void followsLegacyWhenTheNamespaceAlreadyHasLegacyRules() throws Exception {
        NamespaceIptables.requirePrograms();
        try (NetworkNamespaces namespaces = NetworkNamespaces.create()) {
            String lone = namespaces.addWithLoopbackDown("a");
            namespaces.execOrFail(lone, "iptables-legacy", "-t", "filter", "-A", "INPUT", "-p", "udp", "--dport", "9",
                    "-j", "ACCEPT");
            String before = natTables(namespaces, lone, "-legacy");
            IptablesNetworkSetup setup = new IptablesNetworkSetup(runnerIn(lone));

            String output = run(setup, Action.SETUP);

            assertTrue(output.contains("iptables (legacy, IPv4): installed chain [AMBASSADORD_PREROUTING]"), output);
            // The loopback is down, so the namespace has no IPv6 address.
            assertTrue(output.contains("ip6tables: the network namespace has no IPv6 address"), output);
            assertTrue(namespaces.execOrFail(lone, "iptables-legacy-save", "-t", "nat").contains("AMBASSADORD_PREROUTING"));
            assertFalse(namespaces.execOrFail(lone, "iptables-nft-save", "-t", "nat").contains("AMBASSADORD_PREROUTING"));
            assertTrue(run(setup, Action.SETUP).contains("iptables (legacy, IPv4): rules already in place"));

            run(setup, Action.TEARDOWN);
            assertEquals(before, natTables(namespaces, lone, "-legacy"));
        }
    }

    @Test
    void missingIptablesNamesTheDebianPackage(@TempDir Path emptyDirectory) {
        IptablesNetworkSetup setup = new IptablesNetworkSetup(
                new ProcessCommandRunner(List.of(), List.of(emptyDirectory)));
        NetworkSetupException error = assertThrows(NetworkSetupException.class, () -> run(setup, Action.SETUP));
        assertEquals("iptables not found: install Debian package iptables", error.getMessage());
    }

    @Test
    void portsOutOfRangeAreRefusedBeforeAnythingRuns(@TempDir Path emptyDirectory) {
        IptablesNetworkSetup setup = new IptablesNetworkSetup(
                new ProcessCommandRunner(List.of(), List.of(emptyDirectory)));
        NetworkSetupException error = assertThrows(NetworkSetupException.class, () -> setup.apply(
                new NetworkSetupRequest(Action.SETUP, 10000, Set.of(70000), true, System.out)));
        assertEquals("excluded port [70000] is out of range 1-65535", error.getMessage());
    }

    @Test
    void moduleProvidesTheSetupNamedIptables() {
        ModuleDescriptor descriptor = IptablesNetworkSetup.class.getModule().getDescriptor();
        assertEquals(List.of(NetworkSetup.class.getName() + " with " + IptablesNetworkSetup.class.getName()),
                descriptor.provides().stream().map(p -> p.service() + " with " + String.join(",", p.providers()))
                        .toList());
        assertEquals("iptables", new IptablesNetworkSetup().name());
    }

    private static String run(IptablesNetworkSetup setup, Action action) throws NetworkSetupException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        setup.apply(new NetworkSetupRequest(action, 10000, Set.of(), false,
                new PrintStream(bytes, true, StandardCharsets.UTF_8)));
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
