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
    private final java.time.Duration deadline;
    private final long beganNanos;
    private int next;
    private int failed;
    private String failures;

    /**
     * @param maxAttempts endpoints tried at most ({@code --max-attempts})
     * @param deadline    no endpoint after the first is tried once this has passed since now
     *                    ({@code --connect-deadline})
     */
    public EndpointAttempts(List<InetSocketAddress> endpoints, int maxAttempts, java.time.Duration deadline) {
        this.endpoints = endpoints.size() > maxAttempts ? endpoints.subList(0, maxAttempts) : endpoints;
        this.deadline = deadline;
        this.beganNanos = System.nanoTime();
    }

    /** Endpoints tried so far. */
    public int tried() {
        return next;
    }

    /** Whether another endpoint is to be tried: one is left, and the deadline has not passed since the first. */
    public boolean hasNext() {
        if (next >= endpoints.size()) {
            return false;
        }
        if (next > 0 && System.nanoTime() - beganNanos >= deadline.toNanos()) {
            failures = (failures == null ? "" : failures + "; ") + "connect deadline of " + deadline.toMillis()
                    + " ms passed before the next endpoint";
            return false;
        }
        return true;
    }

    public InetSocketAddress next() {
        return endpoints.get(next++);
    }

    public void failed(InetSocketAddress endpoint, String reason) {
        failed++;
        note(endpoint, reason);
    }

    /** Not tried: it has {@code --max-connections-per-endpoint} open already. */
    public void skippedAtCap(InetSocketAddress endpoint, int cap) {
        note(endpoint, "at --max-connections-per-endpoint " + cap);
    }

    /** Whether every endpoint looked at was skipped at its cap, none failed: the connection may wait for a slot. */
    public boolean allAtCap() {
        return next > 0 && failed == 0;
    }

    private void note(InetSocketAddress endpoint, String reason) {
        String failure = Addresses.format(endpoint) + " (" + reason + ")";
        failures = failures == null ? failure : failures + ", " + failure;
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
