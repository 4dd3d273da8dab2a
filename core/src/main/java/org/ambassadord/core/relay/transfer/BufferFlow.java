package org.ambassadord.core.relay.transfer;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.ambassadord.core.relay.socket.RelaySocket;

/**
 * A {@link Flow} through a buffer of the loop's {@link BufferPool}: read, then write. It takes
 * a buffer for each readiness event and keeps it only while the sink cannot take what was read.
 * The portable path, the fall-back of {@link SpliceFlow}, and the path of TLS sockets, which
 * may hold bytes of their own ({@link RelaySocket#hasPendingOutput()}). Loop thread only.
 */
final class BufferFlow extends Flow {

    /** Reads per readiness event, so that one busy connection cannot starve the loop. */
    private static final int MAX_READS_PER_EVENT = 16;

    private final BufferPool buffers;
    /** Read from the source, not yet written to the sink; flipped. Null when there is none. */
    private ByteBuffer pending;

    BufferFlow(RelaySocket source, RelaySocket sink, BufferPool buffers) {
        super(source, sink);
        this.buffers = buffers;
    }

    @Override
    public void pump() throws IOException {
        if (!sink.flush()) {
            return;
        }
        if (pending != null) {
            bytesWritten += sink.write(pending);
            if (pending.hasRemaining()) {
                return;
            }
            buffers.release(pending);
            pending = null;
        }
        if (!sourceEnded && !awaitingBuffer()) {
            transfer();
        }
    }

    private void transfer() throws IOException {
        ByteBuffer buffer = buffers.acquire();
        if (buffer == null) {
            awaitBuffer(buffers);
            return;
        }
        try {
            for (int reads = 0; reads < MAX_READS_PER_EVENT; reads++) {
                int read = readThenWrite(buffer);
                if (read <= 0) {
                    return;
                }
                if (buffer.hasRemaining()) {
                    pending = buffer;
                    buffer = null;
                    return;
                }
                buffer.clear();
                if (read < buffer.capacity()) {
                    // A short read drained the socket: another would only return 0 and cost
                    // a system call.
                    return;
                }
            }
        } finally {
            if (buffer != null) {
                buffers.release(buffer);
            }
        }
    }

    @Override
    public boolean wantsRead() {
        return !sourceEnded && pending == null && !awaitingBuffer() && !sink.hasPendingOutput();
    }

    @Override
    public boolean wantsWrite() {
        return pending != null || sink.hasPendingOutput();
    }

    @Override
    public boolean ended() {
        return sourceEnded && pending == null && !sink.hasPendingOutput();
    }

    @Override
    public void release() {
        stopAwaitingBuffer();
        if (pending != null) {
            buffers.release(pending);
            pending = null;
        }
    }
}
