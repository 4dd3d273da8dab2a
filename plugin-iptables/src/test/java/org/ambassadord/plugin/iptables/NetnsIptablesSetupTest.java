package org.ambassadord.plugin.iptables;

import static org.ambassadord.plugin.iptables.NamespaceIptables.natTables;
import static org.ambassadord.plugin.iptables.NamespaceIptables.runnerIn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import org.ambassadord.spi.NetworkSetup.NetworkSetupException;
import org.ambassadord.spi.NetworkSetupRequest;
import org.ambassadord.spi.NetworkSetupRequest.Action;
import org.ambassadord.spi.testkit.NetworkNamespaces;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The set-up against real iptables, inside two network namespaces made for the test: a
 * client in {@code b} dials ports of {@code a}, where a marker server listens on the
 * redirect port 10000 and on the excluded port 2222 and says which port each connection
 * reached. The host's own rules are never touched.
 */
class NetnsIptablesSetupTest {

    private static final int REDIRECT_PORT = 10000;
    private static final int EXCLUDED_PORT = 2222;
    private static final String NFT = "-nft";

    private static NetworkNamespaces namespaces;
    private static String a;
    private static String b;
    private static NetworkNamespaces.Link link;
    private static MarkerServer server;

    @BeforeAll
    static void startNamespacesAndServer() throws Exception {
        NamespaceIptables.requirePrograms();
        namespaces = NetworkNamespaces.create();
        a = namespaces.add("a");
        b = namespaces.add("b");
        link = namespaces.link(a, b);
        server = MarkerServer.start(a, REDIRECT_PORT, EXCLUDED_PORT);
    }

    @AfterAll
    static void stopAll() {
        if (server != null) {
            server.close();
        }
        if (namespaces != null) {
            namespaces.close();
        }
    }

    @AfterEach
    void removeRules() throws Exception {
        apply(Action.TEARDOWN, Set.of());
    }

    @Test
    void everyDialledPortLandsOnTheRedirectPortExceptExcludedOnes() throws Exception {
        assertEquals("refused", dial(link.addressA(), 6379), "nothing listens on 6379 before the set-up");

        String output = apply(Action.SETUP, Set.of(EXCLUDED_PORT));

        assertTrue(output.contains("iptables (nf_tables, IPv4): installed chain [AMBASSADORD_PREROUTING]"), output);
        assertTrue(output.contains("ip6tables (nf_tables, IPv6): installed chain"), output);
        for (int port : List.of(6379, 8080, 80, REDIRECT_PORT)) {
            assertEquals("port " + REDIRECT_PORT, dial(link.addressA(), port), "IPv4 port " + port);
        }
        assertEquals("port " + EXCLUDED_PORT, dial(link.addressA(), EXCLUDED_PORT), "excluded port");
        assertEquals("port " + REDIRECT_PORT, dial(link.address6A(), 6379), "IPv6 port 6379");
        assertEquals("port " + EXCLUDED_PORT, dial(link.address6A(), EXCLUDED_PORT), "IPv6 excluded port");
    }

    @Test
    void secondRunChangesNothing() throws Exception {
        apply(Action.SETUP, Set.of(EXCLUDED_PORT));
        String installed = natTables(namespaces, a, NFT);

        String output = apply(Action.SETUP, Set.of(EXCLUDED_PORT));

        assertEquals(installed, natTables(namespaces, a, NFT));
        assertEquals(2, output.lines().filter(line -> line.endsWith("rules already in place, nothing changed")).count(),
                output);
    }

    @Test
    void teardownLeavesTheNatTablesAsTheyWere() throws Exception {
        // A foreign rule must survive both the set-up and the teardown.
        namespaces.execOrFail(a, "iptables-nft", "-t", "nat", "-A", "OUTPUT", "-p", "udp", "-j", "RETURN");
        String before = natTables(namespaces, a, NFT);
        apply(Action.SETUP, Set.of());
        assertFalse(before.equals(natTables(namespaces, a, NFT)));

        String output = apply(Action.TEARDOWN, Set.of());

        assertEquals(before, natTables(namespaces, a, NFT));
        assertTrue(output.contains("removed chains [AMBASSADORD_PREROUTING] and 1 jump(s)"), output);
        assertEquals("refused", dial(link.addressA(), 6379));
        namespaces.execOrFail(a, "iptables-nft", "-t", "nat", "-D", "OUTPUT", "-p", "udp", "-j", "RETURN");
    }

    @Test
    void setupRepairsADuplicatedJumpAndChangedExclusions() throws Exception {
        apply(Action.SETUP, Set.of());
        namespaces.execOrFail(a, "iptables-nft", "-t", "nat", "-A", "PREROUTING",
                "-p", "tcp", "-j", "AMBASSADORD_PREROUTING");

        String output = apply(Action.SETUP, Set.of(EXCLUDED_PORT));

        assertTrue(output.contains("replacing them"), output);
        NatTableState state = NatTableState.parse(namespaces.execOrFail(a, "iptables-nft-save", "-t", "nat"));
        assertTrue(state.matches(RulePlan.redirect(REDIRECT_PORT, Set.of(EXCLUDED_PORT))), state.toString());
        assertEquals(1, state.jumpsToOwnChains().size());
        assertEquals("port " + EXCLUDED_PORT, dial(link.addressA(), EXCLUDED_PORT));
    }

    @Test
    void teardownWithoutRulesIsANoOp() throws Exception {
        String before = natTables(namespaces, a, NFT);
        String output = apply(Action.TEARDOWN, Set.of());
        assertEquals(before, natTables(namespaces, a, NFT));
        assertTrue(output.contains("no ambassadord rules, nothing removed"), output);
    }

    @Test
    void withoutNetAdminTheMessageNamesTheCapability() {
        // A new user namespace has no capabilities over the network namespace it sits in.
        ProcessCommandRunner unprivileged = new ProcessCommandRunner(
                List.of("ip", "netns", "exec", a, "unshare", "-U"),
                ProcessCommandRunner.defaultSearchPath(System.getenv("PATH")));
        NetworkSetupException error = assertThrows(NetworkSetupException.class,
                () -> new IptablesNetworkSetup(unprivileged).apply(request(Action.SETUP, Set.of(), new PrintStream(
                        PrintStream.nullOutputStream()))));
        String message = error.getMessage();
        assertFalse(message.contains("\n"), message);
        assertTrue(message.startsWith("permission denied running [iptables-nft-save]"), message);
        assertTrue(message.contains("NET_ADMIN capability; run the container with --cap-add NET_ADMIN (or --privileged)"),
                message);
    }

    private static String apply(Action action, Set<Integer> excluded) throws NetworkSetupException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        new IptablesNetworkSetup(runnerIn(a)).apply(request(action, excluded, out));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static NetworkSetupRequest request(Action action, Set<Integer> excluded, PrintStream out) {
        return new NetworkSetupRequest(action, REDIRECT_PORT, excluded, false, out);
    }

    /**
     * Connects from namespace {@code b} with bash's {@code /dev/tcp} and returns the marker
     * server's line, or {@code refused}.
     */
    private static String dial(String address, int port) {
        NetworkNamespaces.Execution result = namespaces.exec(b, "timeout", "5", "bash", "-c",
                "exec 3<>/dev/tcp/" + address + "/" + port + " && head -n 1 <&3");
        if (!result.succeeded()) {
            assertTrue(result.stderr().contains("Connection refused"), "dial " + address + ":" + port + ": "
                    + result.stderr());
            return "refused";
        }
        return result.stdout().strip();
    }
}
