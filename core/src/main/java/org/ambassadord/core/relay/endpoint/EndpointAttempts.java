package org.ambassadord.core.relay.endpoint;

import java.net.InetSocketAddress;
import java.util.List;
import org.ambassadord.core.relay.socket.Addresses;

/**
 * The endpoints one connection tries, in order, and why each one failed, for the single log
 * line written when all did (built only then: a connection that succeeds carries no list).
 * Loop thread only.
 */
public final class EndpointAttempts {

    private final List<InetSocketAddress> endpoints;
    private int next;
    private String failures;

    /** @param maxAttempts endpoints tried at most ({@code --max-attempts}) */
    public EndpointAttempts(List<InetSocketAddress> endpoints, int maxAttempts) {
        this.endpoints = endpoints.size() > maxAttempts ? endpoints.subList(0, maxAttempts) : endpoints;
    }

    /** Endpoints tried so far. */
    public int tried() {
        return next;
    }

    public boolean hasNext() {
        return next < endpoints.size();
    }

    public InetSocketAddress next() {
        return endpoints.get(next++);
    }

    public void failed(InetSocketAddress endpoint, String reason) {
        String failure = Addresses.format(endpoint) + " (" + reason + ")";
        failures = failures == null ? failure : failures + ", " + failure;
    }

    /** Further endpoints are not tried: the overall connect deadline passed. */
    public void deadlinePassed(java.time.Duration deadline) {
        failures = (failures == null ? "" : failures + "; ") + "connect deadline of " + deadline.toMillis()
                + " ms passed before the next endpoint";
    }

    /** For example {@code all 2 endpoints failed: 10.0.0.5:6379 (Connection refused), ...}. */
    public String summary() {
        if (next < endpoints.size()) {
            return next + " of " + endpoints.size() + " endpoints tried: " + failures;
        }
        return (endpoints.size() == 1 ? "the endpoint failed: " : "all " + endpoints.size() + " endpoints tried failed: ")
                + failures;
    }
}
