package org.ambassadord.core.policy;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import org.ambassadord.core.logging.LogText;

/**
 * One entry of {@code --allow-upstream} or {@code --deny-upstream}: a CIDR block and an
 * optional port or port range, written {@code 10.0.0.0/8}, {@code 10.0.0.0/8:6379},
 * {@code 10.1.2.3:6000-6999}, {@code fd00::/8} or {@code [fd00::/8]:6379} (brackets when an
 * IPv6 block has ports).
 *
 * @param block    the addresses
 * @param fromPort the lowest port matched, 1 when the rule names none
 * @param toPort   the highest port matched, 65535 when the rule names none
 * @param text     the rule as written, for messages
 */
public record UpstreamRule(AddressBlock block, int fromPort, int toPort, String text) {

    boolean matches(InetSocketAddress endpoint) {
        return endpoint.getPort() >= fromPort && endpoint.getPort() <= toPort && block.contains(endpoint.getAddress());
    }

    /**
     * Parses a comma-separated list; blanks between entries are ignored.
     *
     * @param option the option name, for messages
     * @throws IllegalArgumentException with a one-line message naming the bad entry
     */
    static List<UpstreamRule> parseList(String option, String list) {
        List<UpstreamRule> rules = new ArrayList<>();
        for (String entry : list.split(",")) {
            if (!entry.isBlank()) {
                try {
                    rules.add(parse(entry.strip()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(option + ": " + e.getMessage());
                }
            }
        }
        return List.copyOf(rules);
    }

    static UpstreamRule parse(String text) {
        if (!LogText.escape(text).equals(text)) {
            throw new IllegalArgumentException("[" + LogText.escape(text) + "] contains control characters");
        }
        String addresses = text;
        String ports = null;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("[" + text + "] has no closing ']'");
            }
            addresses = text.substring(1, close);
            String rest = text.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException("expected ':ports' after ']' in [" + text + "]");
                }
                ports = rest.substring(1);
            }
        } else if (text.indexOf(':') >= 0 && text.indexOf(':') == text.lastIndexOf(':')) {
            // One colon: IPv4 with ports. Several: a bare IPv6 block, which takes no ports.
            addresses = text.substring(0, text.indexOf(':'));
            ports = text.substring(text.indexOf(':') + 1);
        }
        AddressBlock block = AddressBlock.parse(addresses);
        if (ports == null) {
            return new UpstreamRule(block, 1, 65535, text);
        }
        int dash = ports.indexOf('-');
        int from = port(dash < 0 ? ports : ports.substring(0, dash), text);
        int to = dash < 0 ? from : port(ports.substring(dash + 1), text);
        if (from > to) {
            throw new IllegalArgumentException("port range [" + ports + "] of [" + text + "] runs backwards");
        }
        return new UpstreamRule(block, from, to, text);
    }

    private static int port(String text, String rule) {
        if (!text.matches("\\d{1,5}")) {
            throw new IllegalArgumentException("port [" + text + "] of [" + rule + "] is not a number");
        }
        int port = Integer.parseInt(text);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port [" + text + "] of [" + rule + "] is out of range 1-65535");
        }
        return port;
    }

    @Override
    public String toString() {
        return text;
    }
}
