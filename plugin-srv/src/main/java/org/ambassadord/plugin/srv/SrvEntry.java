package org.ambassadord.plugin.srv;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * One SRV record of an answer with the addresses of its target.
 *
 * @param priority  lower is preferred (RFC 2782)
 * @param weight    relative share within a priority; 0 means "only when nothing else"
 *                  (with a small chance, see {@link Rfc2782Order})
 * @param port      the backend's TCP port
 * @param target    the target host name without its trailing dot, for logs
 * @param addresses the target's addresses, IPv4 first; never empty
 */
record SrvEntry(int priority, int weight, int port, String target, List<InetAddress> addresses) {

    SrvEntry {
        Objects.requireNonNull(target, "target");
        addresses = List.copyOf(addresses);
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("SRV target [" + target + "] has no addresses");
        }
    }

    /** For logs: {@code a.test:6379 (priority 10, weight 1) at [127.0.0.1, ::1]}. */
    @Override
    public String toString() {
        return target + ":" + port + " (priority " + priority + ", weight " + weight + ") at "
                + addresses.stream().map(InetAddress::getHostAddress).toList();
    }
}
