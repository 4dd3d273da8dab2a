package org.ambassadord.core.relay;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * One direction of a relayed connection: bytes read from {@code source} are written to
 * {@code sink}. It holds a buffer only while the sink cannot take what was read; while it does,
 * the relay stops reading the source (see {@link #wantsRead()}), so a slow sink slows its
 * source down instead of growing memory. End of stream on the source becomes
 * {@code shutdownOutput} on the sink once everything read has been written (half-close).
 * Loop thread only.
 */
final class Flow {

    /** Reads per readiness event, so that one busy connection cannot starve the loop. */
    private static final int MAX_READS_PER_EVENT = 16;

    private final SocketChannel source;
    private final SocketChannel sink;
    private final BufferPool buffers;
    /** Read from the source, not yet written to the sink; flipped. Null when there is none. */
    private ByteBuffer pending;
    private boolean sourceEnded;
    private boolean sinkShutDown;
    private long bytesWritten;

    Flow(SocketChannel source, SocketChannel sink, BufferPool buffers) {
        this.source = source;
        this.sink = sink;
        this.buffers = buffers;
    }

    /**
     * Moves whatever can be moved without blocking: first what is pending, then fresh bytes.
     *
     * @throws IOException when either socket fails; the relay then closes both
     */
    void pump() throws IOException {
        if (pending != null) {
            bytesWritten += sink.write(pending);
            if (pending.hasRemaining()) {
                return;
            }
            buffers.release(pending);
            pending = null;
        }
        if (!sourceEnded) {
            transfer();
        }
        if (sourceEnded && pending == null && !sinkShutDown) {
            sinkShutDown = true;
            sink.shutdownOutput();
        }
    }

    private void transfer() throws IOException {
        ByteBuffer buffer = buffers.acquire();
        try {
            for (int reads = 0; reads < MAX_READS_PER_EVENT; reads++) {
                int read = source.read(buffer);
                if (read < 0) {
                    sourceEnded = true;
                    return;
                }
                if (read == 0) {
                    return;
                }
                buffer.flip();
                bytesWritten += sink.write(buffer);
                if (buffer.hasRemaining()) {
                    pending = buffer;
                    buffer = null;
                    return;
                }
                buffer.clear();
                if (read < buffer.capacity()) {
                    // A short read means the socket is drained; another read would only
                    // return 0 and cost a system call.
                    return;
                }
            }
        } finally {
            if (buffer != null) {
                buffers.release(buffer);
            }
        }
    }

    /** Whether the source should be read: not ended, and nothing waiting for the sink. */
    boolean wantsRead() {
        return !sourceEnded && pending == null;
    }

    /** Whether the sink must be told when it can take more. */
    boolean wantsWrite() {
        return pending != null;
    }

    /** Whether this direction is finished: the source ended and the sink was shut down. */
    boolean isDone() {
        return sinkShutDown;
    }

    long bytesWritten() {
        return bytesWritten;
    }

    /** Returns the pending buffer, if any, to the pool; called when the relay closes. */
    void release() {
        if (pending != null) {
            buffers.release(pending);
            pending = null;
        }
    }
}
