package org.ambassadord.plugin.iptables;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * iptables-save output (the host's rules, which other software writes) and the excluded
 * ports: any table parses, and the scripts made from it touch only our own chain and the
 * jumps into it; the redirect plan renders each excluded port as one RETURN rule.
 */
class NatTableFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void parsedTablesOnlyEverRemoveOurOwnRules(FuzzedDataProvider data) {
        int redirectPort = data.consumeInt(1, 65535);
        Set<Integer> excluded = new HashSet<>();
        int count = data.consumeInt(0, 8);
        for (int i = 0; i < count; i++) {
            excluded.add(data.consumeInt(1, 65535));
        }
        NatTableState state = NatTableState.parse(data.consumeRemainingAsString());
        for (String line : RestoreScript.remove(state).split("\n")) {
            java.util.List<String> tokens = NatRule.tokens(line);
            if (line.startsWith("-F ") || line.startsWith("-X ")) {
                assertTrue(RulePlan.isOwnChain(tokens.get(1)), "removes a chain that is not ours: " + line);
            } else if (line.startsWith("-D ")) {
                // "-D <chain> <spec>": the chain has no blank (iptables-save splits on them),
                // and the spec is tokenized on its own, as NatRule does.
                java.util.List<String> spec = NatRule.tokens(line.split("[ \\t]+", 3).length < 3 ? "" : line.split("[ \\t]+", 3)[2]);
                // iptables takes the target as -j or --jump.
                int jump = java.util.stream.IntStream.range(0, spec.size())
                        .filter(i -> spec.get(i).equals("-j") || spec.get(i).equals("--jump")).findFirst().orElse(-1);
                assertTrue(jump >= 0 && jump + 1 < spec.size() && RulePlan.isOwnChain(spec.get(jump + 1)),
                        "deletes a rule that does not jump to our chain: " + escaped(line) + " tokens " + escaped(spec.toString()));
            } else {
                assertTrue(line.equals("*nat") || line.equals("COMMIT"), "unexpected line: " + line);
            }
        }
        RulePlan plan = RulePlan.redirect(redirectPort, excluded);
        String install = RestoreScript.install(plan);
        for (int port : excluded) {
            if (port != redirectPort) {
                assertTrue(install.contains("--dport " + port + " -j RETURN"), install);
            }
        }
        RestoreScript.repair(plan, state);
    }

    /** Control and non-ASCII characters as \\uXXXX, so that a finding's message shows them. */
    private static String escaped(String text) {
        StringBuilder out = new StringBuilder();
        text.chars().forEach(c -> out.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", c) : String.valueOf((char) c)));
        return out.toString();
    }
}
