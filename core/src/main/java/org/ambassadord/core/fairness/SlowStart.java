package org.ambassadord.core.fairness;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code --slow-start}: an endpoint new to the backend's set, or back from ejection, has its
 * weight ramped from 10 % to 100 % over the duration (HAProxy's {@code slowstart}, Envoy's slow
 * start), so a backend that just came up is not handed its full share at once. The set the
 * ambassador started with is not ramped: nothing is "back" then.
 *
 * <p>New endpoints are found by comparing each answer with the last one (an endpoint that
 * left the set — unhealthy, scaled away — and returns is new again). Shared by a server's
 * loops; {@link #observe} and {@link #factor} hold the lock for one pass over the answer.
 * Not for omni mode, whose answers differ per client.
 */
public final class SlowStart {

    private static final double FIRST_SHARE = 0.10;

    private final long rampNanos;
    private List<InetSocketAddress> lastAnswer;
    private Set<InetSocketAddress> lastSet = Set.of();
    private final Map<InetSocketAddress, Long> rampStartedNanos = new HashMap<>();

    public SlowStart(java.time.Duration ramp) {
        this.rampNanos = ramp.toNanos();
    }

    public boolean enabled() {
        return rampNanos > 0;
    }

    /** A backend's answer: endpoints not in the previous answer start their ramp now. */
    public synchronized void observe(List<InetSocketAddress> answer, long nowNanos) {
        if (answer.equals(lastAnswer)) {
            return;
        }
        Set<InetSocketAddress> set = new HashSet<>(answer);
        if (lastAnswer != null) {
            for (InetSocketAddress endpoint : set) {
                if (!lastSet.contains(endpoint)) {
                    rampStartedNanos.put(endpoint, nowNanos);
                }
            }
        }
        rampStartedNanos.keySet().retainAll(set);
        lastAnswer = List.copyOf(answer);
        lastSet = set;
    }

    /** The endpoint came back from ejection: its ramp starts again. */
    public synchronized void restored(InetSocketAddress endpoint, long nowNanos) {
        if (lastSet.contains(endpoint)) {
            rampStartedNanos.put(endpoint, nowNanos);
        }
    }

    /** The share of its weight the endpoint gets now: 0.1 at the ramp's start up to 1 at its end. */
    public synchronized double factor(InetSocketAddress endpoint, long nowNanos) {
        Long started = rampStartedNanos.get(endpoint);
        if (started == null) {
            return 1.0;
        }
        long elapsed = nowNanos - started;
        if (elapsed >= rampNanos) {
            rampStartedNanos.remove(endpoint);
            return 1.0;
        }
        return FIRST_SHARE + (1.0 - FIRST_SHARE) * elapsed / rampNanos;
    }

    /** Whether any endpoint is ramping now: when none is, weights pass unchanged. */
    public synchronized boolean ramping() {
        return !rampStartedNanos.isEmpty();
    }
}
