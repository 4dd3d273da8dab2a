package org.ambassadord.plugin.iptables;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One rule of the nat table, as data: the chain it belongs to and its match/target text in
 * the canonical form {@code iptables-save} prints (for example
 * {@code -p tcp -m tcp --dport 22 -j RETURN}, with the {@code -m tcp} that iptables adds by
 * itself). Keeping that exact form lets a saved table be compared with the plan by string
 * equality.
 *
 * @param chain the chain, such as {@code PREROUTING}
 * @param spec  everything after {@code -A <chain> }
 */
record NatRule(String chain, String spec) {

    NatRule {
        Objects.requireNonNull(chain, "chain");
        Objects.requireNonNull(spec, "spec");
    }

    /** The line that appends the rule in an {@code iptables-restore} payload. */
    String appendLine() {
        return "-A " + chain + " " + spec;
    }

    /** The line that deletes the rule in an {@code iptables-restore} payload. */
    String deleteLine() {
        return "-D " + chain + " " + spec;
    }

    /** The chain or target after {@code -j}, if the rule has one. */
    Optional<String> jumpTarget() {
        List<String> tokens = tokens(spec);
        for (int i = 0; i + 1 < tokens.size(); i++) {
            if (tokens.get(i).equals("-j") || tokens.get(i).equals("--jump")) {
                return Optional.of(tokens.get(i + 1));
            }
        }
        return Optional.empty();
    }

    /**
     * Splits a rule like a shell would for the quoting iptables-save uses: foreign rules may
     * carry {@code -m comment --comment "two words"}, whose words must not be taken for
     * options.
     */
    static List<String> tokens(String text) {
        // Blanks are what iptables-restore splits on: space and tab. Other characters Java
        // calls whitespace (form feed, U+001C..U+001F) are part of a token there, so here too;
        // otherwise a rule could look like a jump to our chain here and be another rule there.
        List<String> tokens = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        boolean inToken = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && quoted && i + 1 < text.length()) {
                current.append(text.charAt(++i));
            } else if (c == '"') {
                quoted = !quoted;
                inToken = true;
            } else if (isBlank(c) && !quoted) {
                if (inToken) {
                    tokens.add(current.toString());
                    current.setLength(0);
                    inToken = false;
                }
            } else {
                current.append(c);
                inToken = true;
            }
        }
        if (inToken) {
            tokens.add(current.toString());
        }
        return tokens;
    }

    static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }
}
