package org.ambassadord.spi;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * What the relay knows about an accepted client connection when it asks a
 * {@link Backend} for endpoints.
 *
 * @param client              the client's address (the connecting container in omni mode)
 * @param local               the proxy's local address of the connection; its port is the
 *                            listening port (links mode uses it to pick the link)
 * @param originalDestination the address the client dialled before an iptables
 *                            {@code REDIRECT}, present only when the backend
 *                            {@linkplain Backend#needsOriginalDestination() asks for it} and the
 *                            kernel knew it
 */
public record ClientConnection(
        InetSocketAddress client,
        InetSocketAddress local,
        Optional<InetSocketAddress> originalDestination) {

    public ClientConnection {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(originalDestination, "originalDestination");
    }

    /** A connection without an original destination. */
    public static ClientConnection of(InetSocketAddress client, InetSocketAddress local) {
        return new ClientConnection(client, local, Optional.empty());
    }
}
