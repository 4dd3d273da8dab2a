package org.ambassadord.core.relay.loop;


/**
 * The handler of every socket registered with a {@link RelayLoop}: the loop hands it the ready
 * operations ({@code SelectionKey}'s {@code OP_*} bits) and knows nothing else about the
 * socket. Called on the loop thread only.
 */
public interface SelectionHandler {

    /**
     * @param registration the ready socket's registration (valid when called)
     * @param readyOps     its ready operations
     */
    void onReady(Registration registration, int readyOps);

    /**
     * Closes the handler's channels: when the loop shuts down with the handler still
     * registered, or after {@link #onReady} threw. Idempotent.
     */
    void close();
}
