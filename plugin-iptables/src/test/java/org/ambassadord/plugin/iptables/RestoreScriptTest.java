package org.ambassadord.plugin.iptables;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.ambassadord.spi.NetworkSetupRequest;
import org.ambassadord.spi.NetworkSetupRequest.Action;
import org.junit.jupiter.api.Test;

/** Golden-file tests of every payload the set-up renders. */
class RestoreScriptTest {

    @Test
    void installRedirectsAllTcpButTheRedirectPortItself() {
        Golden.assertMatches("install-default.txt", RestoreScript.install(RulePlan.redirect(10000, Set.of())));
    }

    @Test
    void installReturnsForExcludedPortsInAscendingOrderBeforeTheRedirect() {
        RulePlan plan = RulePlan.redirect(10000, Set.of(8080, 22, 10000));
        Golden.assertMatches("install-excluded.txt", RestoreScript.install(plan));
    }

    @Test
    void removalOfThePlanDeletesTheJumpThenFlushesAndDeletesTheChain() {
        Golden.assertMatches("remove-plan.txt", RestoreScript.remove(RulePlan.redirect(10000, Set.of())));
    }

    @Test
    void repairRemovesEverythingOfOursFoundAndReinstallsInOneTransaction() {
        NatTableState messy = NatTableState.parse(Golden.read("save-messy.txt"));
        Golden.assertMatches("repair-messy.txt", RestoreScript.repair(RulePlan.redirect(10000, Set.of(22)), messy));
    }

    @Test
    void removalOfAnObservedTableLeavesForeignRulesAlone() {
        NatTableState messy = NatTableState.parse(Golden.read("save-messy.txt"));
        Golden.assertMatches("remove-messy.txt", RestoreScript.remove(messy));
    }

    @Test
    void dryRunPrintsThePayloadAndRunsNothing() throws Exception {
        Golden.assertMatches("dry-run-setup.txt", dryRun(Action.SETUP));
        Golden.assertMatches("dry-run-teardown.txt", dryRun(Action.TEARDOWN));
    }

    private static String dryRun(Action action) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        new IptablesNetworkSetup(new RefusingRunner())
                .apply(new NetworkSetupRequest(action, 10000, Set.of(22), true, out));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** A dry run must not look for, let alone run, any program. */
    private static final class RefusingRunner implements CommandRunner {
        @Override
        public Optional<Path> find(String program) {
            throw new AssertionError("dry run looked for " + program);
        }

        @Override
        public CommandResult run(List<String> command, String stdin) {
            throw new AssertionError("dry run ran " + command);
        }

        @Override
        public Optional<String> readFile(String path) {
            throw new AssertionError("dry run read " + path);
        }
    }
}
