package org.ambassadord.core.relay.endpoint;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.ambassadord.core.relay.socket.Addresses;

/**
 * Failed connects per endpoint, for {@code ambassadord_connect_failures_total{endpoint}}. A
 * metric label must have bounded cardinality, and in omni mode endpoints are whatever
 * containers name: the first {@value #MAX_ENDPOINTS} endpoints get their own label, the rest
 * share {@code other}. Failures are off the fast path, so a shared map is fine here.
 */
public final class ConnectFailures {

    static final int MAX_ENDPOINTS = 64;
    static final String OTHER = "other";

    private final Map<String, LongAdder> byEndpoint = new ConcurrentHashMap<>();

    public void failed(InetSocketAddress endpoint) {
        String label = Addresses.format(endpoint);
        LongAdder counter = byEndpoint.get(label);
        if (counter == null) {
            counter = byEndpoint.size() < MAX_ENDPOINTS ? byEndpoint.computeIfAbsent(label, key -> new LongAdder())
                    : byEndpoint.computeIfAbsent(OTHER, key -> new LongAdder());
        }
        counter.increment();
    }

    public Map<String, Long> snapshot() {
        Map<String, Long> copy = new HashMap<>();
        byEndpoint.forEach((endpoint, count) -> copy.put(endpoint, count.sum()));
        return copy;
    }
}
