package org.ambassadord.plugin.consul;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * The backends as of one successful read, immutable so that the event loop can use it
 * without locks.
 *
 * @param endpoints   resolved addresses; may be empty
 * @param description why the set is what it is (its source, or why it is empty), for the
 *                    message that refuses a client when the set is empty
 * @param index       the {@code X-Consul-Index} of the read, for {@code /status}
 */
record EndpointSnapshot(List<InetSocketAddress> endpoints, String description, long index) {

    EndpointSnapshot {
        endpoints = List.copyOf(endpoints);
    }
}
