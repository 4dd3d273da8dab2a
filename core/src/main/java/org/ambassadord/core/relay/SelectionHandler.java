package org.ambassadord.core.relay;

import java.nio.channels.SelectionKey;

/**
 * The attachment of every key registered with a {@link RelayLoop}: the loop hands it the ready
 * operations and knows nothing else about the channel. Called on the loop thread only.
 */
interface SelectionHandler {

    /**
     * @param key      the ready key (valid when called)
     * @param readyOps its ready operations
     */
    void onReady(SelectionKey key, int readyOps);

    /**
     * Closes the handler's channels: when the loop shuts down with the handler still
     * registered, or after {@link #onReady} threw. Idempotent.
     */
    void close();
}
