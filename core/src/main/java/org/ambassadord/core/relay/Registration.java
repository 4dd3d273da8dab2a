package org.ambassadord.core.relay;

/**
 * A socket's registration with its loop's poller, as a {@link java.nio.channels.SelectionKey}
 * is for NIO: what the socket's handler wants to hear about, and the handler. The interest
 * and ready operations are {@code SelectionKey}'s {@code OP_*} bits on every {@link LoopIo}.
 * Loop thread only.
 */
interface Registration {

    int interestOps();

    /** Changes what the handler hears about; unchanged interest costs nothing. */
    void interestOps(int ops);

    /** Hands the socket's readiness to another handler (a relay passes its sockets on). */
    void attach(SelectionHandler handler);

    SelectionHandler handler();

    /** False once cancelled. */
    boolean isValid();

    /** Stops hearing about the socket; the socket itself stays open. */
    void cancel();
}
