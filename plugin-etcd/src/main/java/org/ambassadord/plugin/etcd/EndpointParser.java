package org.ambassadord.plugin.etcd;

import java.util.OptionalInt;
import java.util.regex.Pattern;

import org.ambassadord.spi.ProviderContext;

/**
 * Parses {@code host:port} and {@code [v6]:port} into a {@link HostPort}: the etcd endpoints
 * of a spec and the backend values stored in etcd share this syntax.
 *
 * <p>Pure string work, no look-ups, so it is safe on any thread. Failures are
 * {@link IllegalArgumentException}s whose message quotes the offending text in brackets; the
 * callers add where the text came from.
 */
final class EndpointParser {

    /** Letters, digits, '-', '_' and '.': a DNS name or an IPv4 literal. */
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final Pattern NUMBER = Pattern.compile("[0-9]+");
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,5}");

    private EndpointParser() {
    }

    /**
     * Parses an endpoint that must name its port, like the backend values in etcd.
     *
     * @throws IllegalArgumentException naming what is wrong with {@code text}
     */
    static HostPort parse(String text) {
        return parse(text, OptionalInt.empty());
    }

    /**
     * Parses an endpoint whose port may be left out, like the etcd endpoints of a spec.
     *
     * @param defaultPort the port used when {@code text} has none; empty when a port is required
     * @throws IllegalArgumentException naming what is wrong with {@code text}
     */
    static HostPort parse(String text, OptionalInt defaultPort) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("empty host");
        }
        if (text.startsWith("[")) {
            return parseBracketed(text, defaultPort);
        }
        if (text.contains("://")) {
            throw new IllegalArgumentException("[" + text + "] is a URL; expected host:port");
        }
        int colon = text.indexOf(':');
        if (colon >= 0 && text.indexOf(':', colon + 1) >= 0) {
            // Without brackets the last group of "::1:2379" could be a port or part of the address.
            throw new IllegalArgumentException("IPv6 address in [" + text + "] needs brackets, as in [::1]:2379");
        }
        String host = colon < 0 ? text : text.substring(0, colon);
        if (host.isEmpty()) {
            throw new IllegalArgumentException("empty host in [" + text + "]");
        }
        if (!HOST_NAME.matcher(host).matches()) {
            throw new IllegalArgumentException("host [" + host + "] of [" + text
                    + "] is not a host name or IP address");
        }
        literal(host, text);
        int port = colon < 0 ? requireDefault(text, defaultPort) : parsePort(text.substring(colon + 1), text);
        return new HostPort(host, port);
    }

    private static HostPort parseBracketed(String text, OptionalInt defaultPort) {
        int close = text.indexOf(']');
        if (close < 0) {
            throw new IllegalArgumentException("missing [']'] in [" + text + "]");
        }
        String host = text.substring(1, close);
        if (host.isEmpty()) {
            throw new IllegalArgumentException("empty host in [" + text + "]");
        }
        if (host.indexOf(':') < 0) {
            throw new IllegalArgumentException("[" + host + "] in [" + text + "] is not an IPv6 address");
        }
        literal(host, text);
        String rest = text.substring(close + 1);
        if (rest.isEmpty()) {
            return new HostPort(host, requireDefault(text, defaultPort));
        }
        if (!rest.startsWith(":")) {
            throw new IllegalArgumentException("expected [:port] after [" + text.substring(0, close + 1)
                    + "] in [" + text + "]");
        }
        return new HostPort(host, parsePort(rest.substring(1), text));
    }

    /** A literal-shaped host must be a valid literal (checked in one pass), never a name to look up. */
    private static void literal(String host, String text) {
        try {
            ProviderContext.ipLiteral(host);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " in [" + text + "]");
        }
    }

    private static int requireDefault(String text, OptionalInt defaultPort) {
        if (defaultPort.isEmpty()) {
            throw new IllegalArgumentException("no port in [" + text + "]; expected host:port");
        }
        return defaultPort.getAsInt();
    }

    private static int parsePort(String port, String text) {
        if (!NUMBER.matcher(port).matches()) {
            throw new IllegalArgumentException("port [" + port + "] of [" + text + "] is not a number");
        }
        // More than five digits is out of range whatever they are; this also keeps parseInt from overflowing.
        int value = DIGITS.matcher(port).matches() ? Integer.parseInt(port) : Integer.MAX_VALUE;
        if (value < 1 || value > 65535) {
            throw new IllegalArgumentException("port [" + port + "] of [" + text + "] is out of range 1-65535");
        }
        return value;
    }
}
