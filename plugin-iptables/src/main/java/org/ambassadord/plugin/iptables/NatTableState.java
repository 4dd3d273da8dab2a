package org.ambassadord.plugin.iptables;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The nat table as {@code iptables-save -t nat} printed it, reduced to what the idempotency
 * check needs: which chains exist and which rules they hold, in order.
 *
 * @param chains every chain declared in the table, built-in and user-defined, in the order
 *               printed
 * @param rules  every rule, in the order printed
 */
record NatTableState(List<String> chains, List<NatRule> rules) {

    NatTableState {
        chains = List.copyOf(chains);
        rules = List.copyOf(rules);
    }

    /**
     * Parses the {@code *nat} section of iptables-save output; other tables, comments and
     * blank lines are ignored. Empty output (a table that was never loaded) is an empty
     * table.
     */
    /** What iptables-restore splits on (see {@link NatRule#tokens}). */
    private static final String BLANKS = "[ \t]+";

    /**
     * The line without a trailing carriage return and without blanks (space, tab) at either
     * end; one pass from each end (a regular expression for the trailing blanks would retry
     * from every blank of a long run).
     */
    private static String withoutEdgeBlanks(String raw) {
        int end = raw.endsWith("\r") ? raw.length() - 1 : raw.length();
        while (end > 0 && isBlank(raw.charAt(end - 1))) {
            end--;
        }
        int start = 0;
        while (start < end && isBlank(raw.charAt(start))) {
            start++;
        }
        return raw.substring(start, end);
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    static NatTableState parse(String saveOutput) {
        Set<String> chains = new LinkedHashSet<>();
        List<NatRule> rules = new ArrayList<>();
        boolean inNat = false;
        for (String raw : saveOutput.split("\n")) {
            String line = withoutEdgeBlanks(raw);
            if (line.startsWith("*")) {
                inNat = line.equals("*nat");
            } else if (!inNat || line.isEmpty() || line.startsWith("#")) {
                continue;
            } else if (line.equals("COMMIT")) {
                inNat = false;
            } else if (line.startsWith(":")) {
                chains.add(line.substring(1).split(BLANKS, 2)[0]);
            } else if (line.startsWith("-A ")) {
                String[] parts = line.split(BLANKS, 3);
                rules.add(new NatRule(parts[1], parts.length > 2 ? parts[2] : ""));
            }
        }
        return new NatTableState(List.copyOf(chains), rules);
    }

    /** Our chains that exist, in the order printed. */
    List<String> ownChains() {
        return chains.stream().filter(RulePlan::isOwnChain).toList();
    }

    /** Rules in chains that are not ours which jump into one of ours. */
    List<NatRule> jumpsToOwnChains() {
        return rules.stream()
                .filter(rule -> !RulePlan.isOwnChain(rule.chain()))
                .filter(rule -> rule.jumpTarget().filter(RulePlan::isOwnChain).isPresent())
                .toList();
    }

    /** Whether anything ambassadord adds is present, complete or not. */
    boolean hasOwnRules() {
        return !ownChains().isEmpty() || !jumpsToOwnChains().isEmpty();
    }

    /**
     * Whether the table holds exactly the plan: the same own chains with the same rules in
     * the same order, and each planned jump exactly once (a duplicated jump, the classic
     * result of a restart that appends again, does not match).
     */
    boolean matches(RulePlan plan) {
        if (!Set.copyOf(ownChains()).equals(Set.copyOf(plan.chains()))) {
            return false;
        }
        for (String chain : plan.chains()) {
            if (!rulesOf(chain).equals(plan.rulesOf(chain))) {
                return false;
            }
        }
        return jumpsToOwnChains().equals(plan.jumps());
    }

    /** A short description of what differs from the plan, for progress output. */
    Optional<String> differenceFrom(RulePlan plan) {
        if (matches(plan)) {
            return Optional.empty();
        }
        if (!hasOwnRules()) {
            return Optional.of("not installed");
        }
        return Optional.of("found chains " + ownChains() + " and " + jumpsToOwnChains().size()
                + " jump(s), which differ from the plan");
    }

    private List<NatRule> rulesOf(String chain) {
        return rules.stream().filter(rule -> rule.chain().equals(chain)).toList();
    }
}
