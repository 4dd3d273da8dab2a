package org.ambassadord.plugin.links;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.ambassadord.spi.Backend;
import org.ambassadord.spi.ClientConnection;

/**
 * Links mode: one listener per link port, each forwarding to its link. The listening port
 * of a connection ({@link ClientConnection#local()}) picks the link.
 */
final class LinksBackend implements Backend {

    private final Map<Integer, LinkTarget> byPort;
    /** Follows the linked containers when the links came from the Docker API; closed with the backend. */
    private final AutoCloseable follower;

    /** @param byPort the links by listening port, not empty */
    LinksBackend(Map<Integer, LinkTarget> byPort) {
        this(byPort, () -> { });
    }

    LinksBackend(Map<Integer, LinkTarget> byPort, AutoCloseable follower) {
        this.byPort = Map.copyOf(byPort);
        this.follower = follower;
    }

    /**
     * The endpoints of the link on the connection's listening port. With a single link,
     * every port goes to it, so {@code --port} can move the listener. Called on the event
     * loop; never blocks (see {@link LinkTarget#endpoints()}).
     */
    @Override
    public CompletionStage<List<InetSocketAddress>> resolve(ClientConnection connection) {
        int port = connection.local().getPort();
        LinkTarget target = byPort.get(port);
        if (target == null && byPort.size() == 1) {
            target = byPort.values().iterator().next();
        }
        if (target == null) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "no Docker link on port [" + port + "]; links listen on " + listenPorts()));
        }
        return target.endpoints();
    }

    /** Every link port. */
    @Override
    public Set<Integer> listenPorts() {
        return byPort.keySet();
    }

    @Override
    public void close() {
        try {
            follower.close();
        } catch (Exception e) {
            org.tinylog.Logger.debug("links: closing the Docker events follower: {}", e.toString());
        }
        byPort.values().forEach(LinkTarget::close);
    }
}
