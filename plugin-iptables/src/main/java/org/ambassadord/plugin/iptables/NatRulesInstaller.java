package org.ambassadord.plugin.iptables;

import java.io.PrintStream;

import org.ambassadord.spi.NetworkSetup.NetworkSetupException;

/**
 * Brings one family's nat table to the plan, or removes our part of it, with the
 * idempotency check of Istio's {@code VerifyIptablesState}: read the table, do nothing when
 * it already matches, otherwise replace whatever of ours is there in one transaction, and
 * read it back to make sure.
 */
final class NatRulesInstaller {

    private final IptablesTool tool;
    private final PrintStream out;

    NatRulesInstaller(IptablesTool tool, PrintStream out) {
        this.tool = tool;
        this.out = out;
    }

    void install(RulePlan plan) throws NetworkSetupException {
        NatTableState before = NatTableState.parse(tool.saveNat());
        if (before.matches(plan)) {
            out.println(tool + ": rules already in place, nothing changed");
            return;
        }
        if (before.hasOwnRules()) {
            out.println(tool + ": " + before.differenceFrom(plan).orElse("") + "; replacing them");
            tool.restore(RestoreScript.repair(plan, before));
        } else {
            tool.restore(RestoreScript.install(plan));
        }
        NatTableState after = NatTableState.parse(tool.saveNat());
        if (!after.matches(plan)) {
            throw new NetworkSetupException(tool + ": the rules were applied but the nat table does not show"
                    + " them as planned: " + after.differenceFrom(plan).orElse(""));
        }
        out.println(tool + ": installed chain " + plan.chains() + ", " + plan.summary());
    }

    void remove() throws NetworkSetupException {
        NatTableState before = NatTableState.parse(tool.saveNat());
        if (!before.hasOwnRules()) {
            out.println(tool + ": no ambassadord rules, nothing removed");
            return;
        }
        tool.restore(RestoreScript.remove(before));
        NatTableState after = NatTableState.parse(tool.saveNat());
        if (after.hasOwnRules()) {
            throw new NetworkSetupException(tool + ": rules remain after removal: chains " + after.ownChains());
        }
        out.println(tool + ": removed chains " + before.ownChains() + " and "
                + before.jumpsToOwnChains().size() + " jump(s)");
    }
}
