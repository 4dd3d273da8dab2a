package org.ambassadord.core.relay.stats;

import java.util.Locale;

/**
 * Why a connection got no backend, as a metric label: a fixed set, so that the label's
 * cardinality stays bounded whatever the reason's text says.
 */
public enum RefusalReason {
    /** The backend answered with no endpoint. */
    NO_ENDPOINTS,
    /** The backend did not answer within {@code --resolve-timeout}. */
    RESOLVE_TIMEOUT,
    /** Every endpoint was denied by the upstream policy. */
    UPSTREAM_DENIED,
    /** The backend refused (omni: unknown container, no definition, a bad spec, a cap). */
    BACKEND,
    /** Every endpoint is this ambassador's own listener: relaying would loop. */
    LOOP,
    /** The client held {@code --max-connections-per-client} open connections. */
    CLIENT_CAP,
    /** The client opened more than {@code --connection-rate-per-client} in the last second. */
    CLIENT_RATE,
    /** Every endpoint was at {@code --max-connections-per-endpoint} for {@code --queue-timeout}. */
    QUEUE_TIMEOUT,
    /** Every endpoint was at its cap and the wait queue was full. */
    QUEUE_FULL;

    /** The label value: {@code no_endpoints}, {@code resolve_timeout}, ... */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
