package org.ambassadord.plugin.iptables;

import java.util.ArrayList;
import java.util.List;

/**
 * Renders plans and removals as {@code iptables-restore} payloads, to be applied with
 * {@code --noflush} so that the rest of the table is kept and each payload is one atomic
 * transaction: either all of it applies or nothing does.
 *
 * <p>With {@code --noflush}, declaring an existing user-defined chain ({@code :NAME - [0:0]})
 * flushes it (both the legacy and the nf_tables variant do), so an install never
 * duplicates rules inside our chain; the jump into it is what must not be appended twice,
 * hence {@link #repair}.
 */
final class RestoreScript {

    private RestoreScript() {
    }

    /** The payload that installs the plan into a table holding nothing of ours. */
    static String install(RulePlan plan) {
        return nat(installLines(plan));
    }

    /**
     * The payload that removes what the table holds of ours — every jump into our chains,
     * then the chains — and installs the plan, in one transaction, so that no connection
     * ever sees a half-configured table.
     */
    static String repair(RulePlan plan, NatTableState state) {
        List<String> lines = new ArrayList<>(removalLines(state.jumpsToOwnChains(), state.ownChains()));
        lines.addAll(installLines(plan));
        return nat(lines);
    }

    /** The payload that removes exactly what the table holds of ours. */
    static String remove(NatTableState state) {
        return nat(removalLines(state.jumpsToOwnChains(), state.ownChains()));
    }

    /** The payload that removes the plan, assuming it is installed (for dry runs). */
    static String remove(RulePlan plan) {
        return nat(removalLines(plan.jumps(), plan.chains()));
    }

    private static List<String> installLines(RulePlan plan) {
        List<String> lines = new ArrayList<>();
        for (String chain : plan.chains()) {
            lines.add(":" + chain + " - [0:0]");
        }
        // Our chains are filled before the jump that makes them reachable.
        for (String chain : plan.chains()) {
            plan.rulesOf(chain).forEach(rule -> lines.add(rule.appendLine()));
        }
        plan.jumps().forEach(rule -> lines.add(rule.appendLine()));
        return lines;
    }

    private static List<String> removalLines(List<NatRule> jumps, List<String> chains) {
        List<String> lines = new ArrayList<>();
        jumps.forEach(rule -> lines.add(rule.deleteLine()));
        // A chain can only be deleted once nothing jumps to it, and flushing all of ours
        // first also covers jumps between our own chains.
        chains.forEach(chain -> lines.add("-F " + chain));
        chains.forEach(chain -> lines.add("-X " + chain));
        return lines;
    }

    private static String nat(List<String> lines) {
        StringBuilder text = new StringBuilder("*nat\n");
        lines.forEach(line -> text.append(line).append('\n'));
        return text.append("COMMIT\n").toString();
    }
}
