package org.ambassadord.core.relay.transfer;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.ambassadord.core.relay.socket.RelaySocket;

/**
 * One direction of a relayed connection: bytes read from a source socket are written to a sink
 * socket. A flow holds memory (a buffer, a pipe) only while the sink cannot take what was read;
 * while it does, the relay stops reading the source (see {@link #wantsRead()}), so a slow sink
 * slows its source down instead of growing memory. Once the source has ended and everything
 * read was written, the direction is {@link #ended()}; the relay then half-closes the sink
 * ({@link #shutDownSink()}) or, when the other direction has ended too, closes both sockets.
 *
 * <p>Made by the loop's {@link Transfer}: {@link BufferFlow} or {@link SpliceFlow}. Loop
 * thread only. The two share the sockets, the counters, the copy of one read through a buffer
 * and the half-close here.
 */
public abstract class Flow {

    protected final RelaySocket source;
    protected final RelaySocket sink;
    /** The source returned end of stream. */
    protected boolean sourceEnded;
    protected long bytesWritten;
    private boolean sinkShutDown;
    /** Non-null while the flow waits at that pool's ceiling for a buffer; it reads nothing meanwhile. */
    private BufferPool awaitedPool;
    private final Runnable bufferBack = this::bufferBack;
    /** Tells the relay that this flow wants to read again (see {@link #resumeWith}). */
    private Runnable resume = () -> { };

    Flow(RelaySocket source, RelaySocket sink) {
        this.source = source;
        this.sink = sink;
    }

    /**
     * One read from the source into {@code buffer} and one write of what was read to the sink;
     * the buffer then holds, flipped, whatever the sink did not take.
     *
     * @return bytes read: -1 at end of stream, 0 when none were waiting
     */
    protected final int readThenWrite(ByteBuffer buffer) throws IOException {
        int read = source.read(buffer);
        if (read <= 0) {
            sourceEnded = read < 0;
            return read;
        }
        // A short read drained the socket; if the peer's FIN was seen before it, no byte
        // follows these, and the read that would say so is saved.
        sourceEnded = read < buffer.capacity() && source.peerShutdownSeen();
        buffer.flip();
        bytesWritten += sink.write(buffer);
        return read;
    }

    /**
     * Moves whatever can be moved without blocking: first what is held, then fresh bytes.
     *
     * @throws IOException when either socket fails; the relay then closes both
     */
    public abstract void pump() throws IOException;

    /** Whether the source should be read: not ended, nothing held for the sink, not waiting for a buffer. */
    public abstract boolean wantsRead();

    /** Whether the sink must be told when it can take more: bytes are held for it. */
    public abstract boolean wantsWrite();

    /** Whether the source has ended and everything read from it was written. */
    public abstract boolean ended();

    /** Half-closes the sink ({@code shutdownOutput}); once, after {@link #ended()}. */
    public final void shutDownSink() throws IOException {
        if (!sinkShutDown) {
            sinkShutDown = true;
            sink.shutdownOutput();
        }
    }

    /** What to run when a flow that waited for a buffer may read again: the relay's interest update. */
    public final void resumeWith(Runnable onResume) {
        this.resume = onResume;
    }

    /** The pool was at its ceiling: stop reading until it hands a buffer back. */
    protected final void awaitBuffer(BufferPool pool) {
        awaitedPool = pool;
        pool.await(bufferBack);
    }

    protected final boolean awaitingBuffer() {
        return awaitedPool != null;
    }

    /** Leaves the pool's queue; part of every {@link #release()}. */
    protected final void stopAwaitingBuffer() {
        if (awaitedPool != null) {
            awaitedPool.cancel(bufferBack);
            awaitedPool = null;
        }
    }

    private void bufferBack() {
        awaitedPool = null;
        resume.run();
    }

    public final long bytesWritten() {
        return bytesWritten;
    }

    /** Gives back what the flow holds; called once, when the relay closes. */
    public abstract void release();
}
