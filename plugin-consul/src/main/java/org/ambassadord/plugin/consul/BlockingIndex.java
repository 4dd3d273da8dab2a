package org.ambassadord.plugin.consul;

/**
 * The {@code index} to send with the next blocking query, kept by the rules of Consul's
 * "Blocking Queries" documentation
 * (https://developer.hashicorp.com/consul/api-docs/features/blocking, "Implementation
 * Details"):
 * <ol>
 * <li>An index of 0 asks for an immediate answer; the first query uses it.</li>
 * <li>An index below 1 in a response is a Consul bug that would make every following query
 *     return at once: use 1 instead.</li>
 * <li>An index lower than the previous one (a snapshot restore, a reaped tombstone, a
 *     different server) resets to 0: start over with an immediate read.</li>
 * </ol>
 *
 * <p>Used by the watcher thread only; not thread-safe.
 */
final class BlockingIndex {

    /** What {@link #update(Long)} did, so that the watcher can log unusual cases. */
    enum Update {
        /** The index moved forward or stayed: the normal case. */
        ACCEPTED,
        /** The index went backwards and was reset to 0. */
        RESET_BACKWARDS,
        /** The index was missing or below 1 and was raised to 1. */
        RAISED_TO_ONE
    }

    private long index;

    /** The value for the next query's {@code index} parameter. */
    long current() {
        return index;
    }

    /**
     * Applies a response's {@code X-Consul-Index}.
     *
     * @param responseIndex the header's value, {@code null} when it was missing
     */
    Update update(Long responseIndex) {
        if (responseIndex == null || responseIndex < 1) {
            index = 1;
            return Update.RAISED_TO_ONE;
        }
        if (responseIndex < index) {
            index = 0;
            return Update.RESET_BACKWARDS;
        }
        index = responseIndex;
        return Update.ACCEPTED;
    }

    /** Forgets the index, so that the next query answers at once (after an error). */
    void reset() {
        index = 0;
    }
}
