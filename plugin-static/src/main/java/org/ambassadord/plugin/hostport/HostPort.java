package org.ambassadord.plugin.hostport;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One endpoint of a static spec, as written: a host name or an IP literal, and a port.
 *
 * @param host a host name, an IPv4 literal, or an IPv6 literal without brackets
 * @param port 1-65535
 */
record HostPort(String host, int port) {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    /**
     * The address when the host is an IP literal, which needs no DNS; empty for host names.
     */
    Optional<InetAddress> literalAddress() {
        if (!IPV4.matcher(host).matches() && !host.contains(":")) {
            return Optional.empty();
        }
        try {
            // An IP literal is parsed, never looked up.
            return Optional.of(InetAddress.getByName(host));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }
}
