package org.ambassadord.core.relay;

import java.io.IOException;

/**
 * One direction of a relayed connection: bytes read from a source socket are written to a sink
 * socket. A flow holds memory (a buffer, a pipe) only while the sink cannot take what was read;
 * while it does, the relay stops reading the source (see {@link #wantsRead()}), so a slow sink
 * slows its source down instead of growing memory. End of stream on the source becomes
 * {@code shutdownOutput} on the sink once everything read has been written (half-close).
 *
 * <p>Made by the loop's {@link Transfer}: {@link BufferFlow} or {@link SpliceFlow}. Loop
 * thread only.
 */
interface Flow {

    /**
     * Moves whatever can be moved without blocking: first what is held, then fresh bytes.
     *
     * @throws IOException when either socket fails; the relay then closes both
     */
    void pump() throws IOException;

    /** Whether the source should be read: not ended, and nothing held for the sink. */
    boolean wantsRead();

    /** Whether the sink must be told when it can take more: bytes are held for it. */
    boolean wantsWrite();

    /** Whether this direction is finished: the source ended and the sink was shut down. */
    boolean isDone();

    long bytesWritten();

    /** Gives back what the flow holds; called once, when the relay closes. */
    void release();
}
