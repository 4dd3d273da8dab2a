package org.ambassadord.core.relay;

import java.io.IOException;

/**
 * One direction of a relayed connection: bytes read from a source socket are written to a sink
 * socket. A flow holds memory (a buffer, a pipe) only while the sink cannot take what was read;
 * while it does, the relay stops reading the source (see {@link #wantsRead()}), so a slow sink
 * slows its source down instead of growing memory. Once the source has ended and everything
 * read was written, the direction is {@link #ended()}; the relay then half-closes the sink
 * ({@link #shutDownSink()}) or, when the other direction has ended too, closes both sockets.
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

    /** Whether the source has ended and everything read from it was written. */
    boolean ended();

    /** Half-closes the sink ({@code shutdownOutput}); once, after {@link #ended()}. */
    void shutDownSink() throws IOException;

    long bytesWritten();

    /** Gives back what the flow holds; called once, when the relay closes. */
    void release();
}
