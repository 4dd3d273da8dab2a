package org.ambassadord.plugin.etcd;

import java.util.Objects;

/**
 * A host (name or IP literal, without brackets) and a TCP port, not yet resolved: an etcd
 * endpoint of the spec, or one backend read from a value in etcd.
 *
 * @param host a host name, an IPv4 literal or an IPv6 literal without brackets
 * @param port 1-65535
 */
record HostPort(String host, int port) {

    HostPort {
        Objects.requireNonNull(host, "host");
        if (host.isEmpty()) {
            throw new IllegalArgumentException("empty host");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port [" + port + "] out of range 1-65535");
        }
    }

    /** Whether the host is an IPv6 literal, which needs brackets in front of a port. */
    boolean isIpv6Literal() {
        return host.indexOf(':') >= 0;
    }

    /** {@code host:port}, or {@code [v6]:port}: the form the user writes. */
    @Override
    public String toString() {
        return (isIpv6Literal() ? "[" + host + "]" : host) + ":" + port;
    }
}
