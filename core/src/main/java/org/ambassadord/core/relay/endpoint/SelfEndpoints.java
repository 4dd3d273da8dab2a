package org.ambassadord.core.relay.endpoint;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.tinylog.Logger;

/**
 * The endpoints that are this ambassador itself: a port it listens on, at a loopback, wildcard
 * or local interface address. Relaying to one is a loop — each hop opens a new connection to
 * itself until the process runs out of file descriptors (seen in a test whose "dead" endpoint
 * port was handed to the relay's own listener). A connection is never relayed there, and
 * {@code --health-check} does not probe it. The local addresses are read once, at start;
 * look-ups are two hash probes, fit for the event loop.
 */
public final class SelfEndpoints {

    private final Set<InetAddress> localAddresses;
    /**
     * Replaced (never changed) by {@link #listeningOn}, which runs before the loops start; the
     * loops then read it on every connection without a lock.
     */
    private volatile Set<Integer> ports = Set.of();

    public SelfEndpoints() {
        Set<InetAddress> found = new HashSet<>();
        try {
            for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                found.addAll(Collections.list(network.getInetAddresses()));
            }
        } catch (SocketException e) {
            Logger.debug("cannot list local addresses for loop detection: {}", e.toString());
        }
        this.localAddresses = Set.copyOf(found);
    }

    public synchronized void listeningOn(int port) {
        Set<Integer> more = new HashSet<>(ports);
        more.add(port);
        ports = Set.copyOf(more);
    }

    /**
     * The endpoints that are not this ambassador, in order: the same list when there is none
     * to drop (the usual case, no allocation), empty when every one is.
     */
    public List<InetSocketAddress> without(List<InetSocketAddress> endpoints) {
        List<InetSocketAddress> kept = null;
        for (int i = 0; i < endpoints.size(); i++) {
            InetSocketAddress endpoint = endpoints.get(i);
            if (contains(endpoint)) {
                if (kept == null) {
                    kept = new ArrayList<>(endpoints.subList(0, i));
                }
            } else if (kept != null) {
                kept.add(endpoint);
            }
        }
        return kept == null ? endpoints : kept;
    }

    /** Whether connecting there would reach this ambassador's own listener. */
    boolean contains(InetSocketAddress endpoint) {
        if (!ports.contains(endpoint.getPort())) {
            return false;
        }
        InetAddress address = endpoint.getAddress();
        return address != null && (address.isLoopbackAddress() || address.isAnyLocalAddress()
                || localAddresses.contains(address));
    }
}
