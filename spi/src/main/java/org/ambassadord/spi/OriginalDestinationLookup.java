package org.ambassadord.spi;

import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * Finds the address a client dialled before the kernel redirected its connection to the
 * proxy (Linux {@code SO_ORIGINAL_DST}). Needed only by backends that
 * {@linkplain Backend#needsOriginalDestination() ask for it}.
 *
 * <p>Called on an event loop thread for each accepted connection of such a backend: one
 * non-blocking system call is fine, anything more is not.
 */
public interface OriginalDestinationLookup {

    /**
     * @param socketFd the file descriptor of the accepted socket
     * @param client   the client's address; its family picks the socket option level (an
     *                 IPv4 or IPv4-mapped client uses the IPv4 option even on an IPv6 socket)
     * @return the original destination, or empty when the kernel does not know it (no NAT
     *         entry) or the platform cannot tell
     */
    Optional<InetSocketAddress> lookup(int socketFd, InetSocketAddress client);
}
