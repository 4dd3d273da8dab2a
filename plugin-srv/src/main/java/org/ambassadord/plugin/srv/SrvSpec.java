package org.ambassadord.plugin.srv;

import java.util.Objects;
import java.util.Optional;

/**
 * A parsed SRV backend spec.
 *
 * @param text      the spec as the user wrote it, for messages
 * @param name      the SRV name to look up, absolute (with its trailing dot)
 * @param dnsServer the DNS server chosen with {@code ?dns=}, or empty for the system's
 *                  resolvers (resolv.conf)
 */
record SrvSpec(String text, String name, Optional<DnsServer> dnsServer) {

    /** Default DNS port when {@code ?dns=host} gives none. */
    static final int DNS_PORT = 53;

    SrvSpec {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dnsServer, "dnsServer");
    }

    /** The name without its trailing dot, for messages. */
    String displayName() {
        return name.substring(0, name.length() - 1);
    }

    /**
     * A DNS server from {@code ?dns=host:port}. The host may be a name; it is resolved on a
     * background thread when the first query is sent, never while parsing.
     *
     * @param host an IP literal (IPv6 without brackets) or a host name
     * @param port 1-65535
     */
    record DnsServer(String host, int port) {
        DnsServer {
            Objects.requireNonNull(host, "host");
        }

        @Override
        public String toString() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }
}
