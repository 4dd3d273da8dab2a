package org.ambassadord.plugin.hostport;

import java.net.InetAddress;
import java.util.Optional;

import org.ambassadord.spi.ProviderContext;

/**
 * One endpoint of a static spec, as written: a host name or an IP literal, and a port.
 *
 * @param host a host name, an IPv4 literal, or an IPv6 literal without brackets
 * @param port 1-65535
 */
record HostPort(String host, int port) {

    /**
     * The address when the host is an IP literal, which needs no DNS; empty for host names.
     * {@link StaticSpecParser} admits only valid literals.
     */
    Optional<InetAddress> literalAddress() {
        return ProviderContext.ipLiteral(host);
    }

    @Override
    public String toString() {
        return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }
}
