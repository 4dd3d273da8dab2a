package org.ambassadord.core.relay.loop;


/**
 * A socket's registration with its loop's poller, as a {@link java.nio.channels.SelectionKey}
 * is for NIO: what the socket's handler wants to hear about, and the handler. The interest
 * and ready operations are {@code SelectionKey}'s {@code OP_*} bits on every {@link LoopIo};
 * each poller keeps the rest its own way. Loop thread only.
 */
public abstract class Registration {

    private SelectionHandler handler;

    Registration(SelectionHandler handler) {
        this.handler = handler;
    }

    public abstract int interestOps();

    /** Changes what the handler hears about; unchanged interest costs nothing. */
    public abstract void interestOps(int ops);

    /** False once cancelled. */
    public abstract boolean isValid();

    /** Stops hearing about the socket; the socket itself stays open. */
    public abstract void cancel();

    /** Hands the socket's readiness to another handler (a relay passes its sockets on). */
    public final void attach(SelectionHandler newHandler) {
        handler = newHandler;
    }

    final SelectionHandler handler() {
        return handler;
    }
}
