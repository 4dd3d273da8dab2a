package org.ambassadord.plugin.consul;

import java.util.regex.Pattern;

import org.ambassadord.spi.ProviderContext;

/**
 * A host and a port as users write them: {@code host:port}, {@code 10.0.0.1:port} or
 * {@code [2001:db8::1]:port}. The host stays a string: turning a name into an address is
 * I/O, which happens on the watcher thread ({@link EndpointResolver}), never here. A literal
 * is checked here, in one pass ({@link ProviderContext#ipLiteral}), so that a broken one is
 * refused rather than looked up as a name.
 *
 * @param host a host name or an IP literal, IPv6 without brackets
 * @param port 1-65535
 */
record HostPort(String host, int port) {

    /** Letters, digits, dots, dashes and underscores (Docker names have underscores). */
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_])?");

    /**
     * Parses {@code host:port} or {@code [v6]:port}; the port is required.
     *
     * @throws IllegalArgumentException with a one-line reason that quotes the bad part
     */
    static HostPort parse(String text) {
        return parse(text, -1);
    }

    /**
     * Parses {@code host[:port]} or {@code [v6][:port]}.
     *
     * @param defaultPort the port when none is written, or -1 when a port is required
     * @throws IllegalArgumentException with a one-line reason that quotes the bad part
     */
    static HostPort parse(String text, int defaultPort) {
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("empty address");
        }
        String host;
        String portText;
        if (trimmed.startsWith("[")) {
            int close = trimmed.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("missing [']'] after IPv6 address [" + trimmed + "]");
            }
            host = trimmed.substring(1, close);
            String rest = trimmed.substring(close + 1);
            if (!rest.isEmpty() && !rest.startsWith(":")) {
                throw new IllegalArgumentException("unexpected [" + rest + "] after IPv6 address [" + host + "]");
            }
            portText = rest.isEmpty() ? null : rest.substring(1);
            if (host.indexOf(':') < 0) {
                throw new IllegalArgumentException("[" + host + "] is not an IPv6 address");
            }
            ProviderContext.ipLiteral(host);
        } else {
            int colon = trimmed.lastIndexOf(':');
            if (colon != trimmed.indexOf(':')) {
                throw new IllegalArgumentException("IPv6 address [" + trimmed + "] must be in brackets, as in [::1]:6379");
            }
            host = colon < 0 ? trimmed : trimmed.substring(0, colon);
            portText = colon < 0 ? null : trimmed.substring(colon + 1);
            if (!HOST_NAME.matcher(host).matches()) {
                throw new IllegalArgumentException("[" + host + "] is not a host name or IP address");
            }
            // 1.2.3.999 is no host name either: refused here, never looked up.
            ProviderContext.ipLiteral(host);
        }
        return new HostPort(host, port(portText, defaultPort));
    }

    private static int port(String text, int defaultPort) {
        if (text == null && defaultPort > 0) {
            return defaultPort;
        }
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("missing port");
        }
        if (!text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("port [" + text + "] is not a number");
        }
        // Longer than six digits cannot be in range, and would overflow parseInt.
        int port = text.length() > 6 ? Integer.MAX_VALUE : Integer.parseInt(text);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port [" + text + "] is out of range 1-65535");
        }
        return port;
    }

    /** Whether the host is an IPv6 literal, which URLs and {@link #toString()} bracket. */
    boolean isIpv6Literal() {
        return host.indexOf(':') >= 0;
    }

    /** The host as it appears in a URL authority: IPv6 literals in brackets. */
    String urlHost() {
        return isIpv6Literal() ? "[" + host + "]" : host;
    }

    /** {@code host:port} or {@code [v6]:port}, parseable by {@link #parse(String)}. */
    @Override
    public String toString() {
        return urlHost() + ":" + port;
    }
}
