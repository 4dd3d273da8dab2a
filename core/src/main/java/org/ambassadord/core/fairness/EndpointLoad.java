package org.ambassadord.core.fairness;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.ambassadord.core.relay.socket.Addresses;

/**
 * Open connections per endpoint — from the connect attempt until the connection closes, as
 * HAProxy counts a server's — for {@code --balance least-conn}, {@code --max-connections-per-endpoint},
 * {@code /metrics} and {@code /status}. An endpoint leaves the map when its count is back to 0,
 * so the map holds only endpoints with open connections. Any thread; one atomic map operation
 * per change.
 */
public final class EndpointLoad {

    private final Map<InetSocketAddress, AtomicInteger> open = new ConcurrentHashMap<>();

    /** Open connections to the endpoint now. */
    public int openTo(InetSocketAddress endpoint) {
        AtomicInteger count = open.get(endpoint);
        return count == null ? 0 : count.get();
    }

    /**
     * Counts a connection to the endpoint unless it already has {@code cap} (0: no cap).
     *
     * @return whether it was counted
     */
    public boolean tryAcquire(InetSocketAddress endpoint, int cap) {
        boolean[] acquired = {false};
        open.compute(endpoint, (key, count) -> {
            int now = count == null ? 0 : count.get();
            if (cap > 0 && now >= cap) {
                return count;
            }
            acquired[0] = true;
            if (count == null) {
                return new AtomicInteger(1);
            }
            count.incrementAndGet();
            return count;
        });
        return acquired[0];
    }

    /** A counted connection closed (or its connect failed). */
    public void release(InetSocketAddress endpoint) {
        open.computeIfPresent(endpoint, (key, count) -> count.decrementAndGet() <= 0 ? null : count);
    }

    /** Every endpoint with open connections, formatted, sorted, for metrics and /status. */
    public Map<String, Integer> snapshot() {
        Map<String, Integer> snapshot = new TreeMap<>();
        open.forEach((endpoint, count) -> snapshot.put(Addresses.format(endpoint), count.get()));
        return snapshot;
    }
}
