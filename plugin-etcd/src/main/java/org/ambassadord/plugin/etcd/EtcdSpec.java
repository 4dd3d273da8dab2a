package org.ambassadord.plugin.etcd;

import java.util.List;
import java.util.Objects;

/**
 * A parsed {@code etcd://host:port[,host:port]/path/to/backend/nodes} spec.
 *
 * @param spec      the spec as the user wrote it, for messages
 * @param endpoints the etcd cluster members to connect to, at least one
 * @param key       the etcd key of the path, with its leading {@code /} and without a
 *                  trailing one: its children are the keys starting with {@code key + "/"}
 */
record EtcdSpec(String spec, List<HostPort> endpoints, String key) {

    EtcdSpec {
        Objects.requireNonNull(spec, "spec");
        endpoints = List.copyOf(endpoints);
        Objects.requireNonNull(key, "key");
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("no endpoints");
        }
    }

    /** The prefix every child key starts with. */
    String childPrefix() {
        return key + "/";
    }

    /** The endpoints as the user wrote them, for messages: {@code host:2379,host2:2379}. */
    String endpointList() {
        return String.join(",", endpoints.stream().map(HostPort::toString).toList());
    }
}
