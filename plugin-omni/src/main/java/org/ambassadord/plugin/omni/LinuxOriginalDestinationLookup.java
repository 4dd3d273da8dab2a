package org.ambassadord.plugin.omni;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.Optional;

import org.ambassadord.spi.OriginalDestinationLookup;
import org.tinylog.Logger;

/**
 * The address a client dialled before an iptables {@code REDIRECT}, from Linux's
 * {@code getsockopt(SO_ORIGINAL_DST)}: level {@code SOL_IP} for IPv4 clients (also
 * IPv4-mapped ones on an IPv6 socket, as the kernel files those under IPv4 conntrack) and
 * {@code SOL_IPV6} / {@code IP6T_SO_ORIGINAL_DST} for IPv6 clients, like Envoy's
 * {@code getOriginalDst}.
 *
 * <p>Called on an event loop thread: one system call, no other I/O. Empty when the kernel
 * has no NAT entry for the connection ({@code ENOENT}) or on platforms other than Linux.
 * A connection that reached the listener directly reports the listener's own address;
 * telling that apart is the backend's business.
 */
public final class LinuxOriginalDestinationLookup implements OriginalDestinationLookup {

    /** Does no native work: the binding is made on first use (see {@link NativeSockets}). */
    public LinuxOriginalDestinationLookup() {
    }

    @Override
    public Optional<InetSocketAddress> lookup(int socketFd, InetSocketAddress client) {
        if (!NativeSockets.available()) {
            return Optional.empty();
        }
        boolean ipv4 = ClientAddresses.normalise(client.getAddress()) instanceof Inet4Address;
        NativeSockets.OptionResult result = ipv4
                ? NativeSockets.getsockopt(socketFd, NativeSockets.SOL_IP, NativeSockets.SO_ORIGINAL_DST,
                        SockaddrParser.SOCKADDR_IN_SIZE)
                : NativeSockets.getsockopt(socketFd, NativeSockets.SOL_IPV6, NativeSockets.IP6T_SO_ORIGINAL_DST,
                        SockaddrParser.SOCKADDR_IN6_SIZE);
        if (!result.succeeded()) {
            if (result.errno() != NativeSockets.ENOENT) {
                Logger.debug("getsockopt(SO_ORIGINAL_DST) on fd {} from {} failed with errno {}",
                        socketFd, client, result.errno());
            }
            return Optional.empty();
        }
        return SockaddrParser.parse(result.value(), result.length());
    }
}
