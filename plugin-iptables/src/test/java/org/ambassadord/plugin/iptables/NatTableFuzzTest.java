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
                tokens = NatRule.tokens(line.split("[ \\t]+", 3).length < 3 ? "" : line.split("[ \\t]+", 3)[2]);
                int jump = tokens.indexOf("-j");
                assertTrue(jump > 0 && jump + 1 < tokens.size() && RulePlan.isOwnChain(tokens.get(jump + 1)),
                        "deletes a rule that does not jump to our chain: " + line);
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
}
