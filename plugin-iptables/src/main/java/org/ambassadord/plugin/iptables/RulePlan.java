package org.ambassadord.plugin.iptables;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The rules ambassadord wants in the nat table, as data (after Istio's
 * {@code tools/istio-iptables}): one chain of its own, and one jump to it as the only rule it
 * adds to a built-in chain, so that everything it added can be found and removed again by
 * the chain name alone.
 *
 * <p>The own chain first returns for the redirect port itself (a client that dials the omni
 * port directly is not redirected, so the relay sees an original destination equal to its
 * listen port and refuses the connection) and for every excluded port, then redirects all
 * other TCP. Loopback needs no exclusion: locally generated connections traverse
 * {@code OUTPUT}, never {@code PREROUTING}, so the relay's own outgoing connections are left
 * alone.
 *
 * @param summary what the plan does, in words, for progress output
 * @param chains  the chains of our own, in creation order
 * @param rules   every rule of the plan: those of our chains in order, then the jumps from
 *                built-in chains
 */
record RulePlan(String summary, List<String> chains, List<NatRule> rules) {

    /** Every chain ambassadord creates starts with this; anything else is not ours. */
    static final String CHAIN_PREFIX = "AMBASSADORD_";
    static final String PREROUTING_CHAIN = CHAIN_PREFIX + "PREROUTING";

    RulePlan {
        chains = List.copyOf(chains);
        rules = List.copyOf(rules);
    }

    /**
     * The plan that redirects incoming TCP to {@code redirectPort}.
     *
     * @param excludedPorts destination ports left alone; sorted so that the rendered rules
     *                      do not depend on set iteration order
     */
    static RulePlan redirect(int redirectPort, Set<Integer> excludedPorts) {
        Set<Integer> returned = new TreeSet<>(excludedPorts);
        returned.remove(redirectPort);
        List<NatRule> rules = new ArrayList<>();
        rules.add(returnFor(redirectPort));
        returned.forEach(port -> rules.add(returnFor(port)));
        rules.add(new NatRule(PREROUTING_CHAIN, "-p tcp -j REDIRECT --to-ports " + redirectPort));
        rules.add(new NatRule("PREROUTING", "-p tcp -j " + PREROUTING_CHAIN));
        String summary = "incoming TCP is redirected to port " + redirectPort
                + (returned.isEmpty() ? "" : ", except to ports " + returned);
        return new RulePlan(summary, List.of(PREROUTING_CHAIN), rules);
    }

    private static NatRule returnFor(int port) {
        return new NatRule(PREROUTING_CHAIN, "-p tcp -m tcp --dport " + port + " -j RETURN");
    }

    static boolean isOwnChain(String chain) {
        return chain.startsWith(CHAIN_PREFIX);
    }

    /** The rules inside one of our chains, in order. */
    List<NatRule> rulesOf(String chain) {
        return rules.stream().filter(rule -> rule.chain().equals(chain)).toList();
    }

    /** The jumps from chains that are not ours (built-in chains) into ours. */
    List<NatRule> jumps() {
        return rules.stream().filter(rule -> !isOwnChain(rule.chain())).toList();
    }
}
