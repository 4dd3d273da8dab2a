package org.ambassadord.core.relay.transfer;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.ambassadord.core.relay.socket.LinuxCalls;
import org.ambassadord.core.relay.socket.Pipe;
import org.ambassadord.core.relay.socket.RelaySocket;

/**
 * A {@link Flow} that moves bulk data with splice(2), source socket to a pipe to sink socket,
 * without copying it through user space, and copies short messages.
 *
 * <p>Splicing has a higher fixed cost per call than a read and a write (the kernel pins pages
 * and clones socket buffers for the pipe), so for the request and reply of a keep-alive
 * connection copying is cheaper. Each readiness event therefore starts with a read into a
 * small buffer; only a read that fills it (more is waiting) switches the flow to splicing,
 * and a short splice switches it back. Both are non-blocking (sockets in non-blocking mode,
 * {@code SPLICE_F_NONBLOCK} for the pipe).
 *
 * <p>The flow holds either a buffer with copied bytes or a pipe with spliced bytes, never both,
 * and only while the sink cannot take them: that is the direction's bounded backlog (the
 * pipe's capacity or the buffer's size), and while it exists the source is not read, exactly
 * as in {@link BufferFlow}. An empty pipe goes back to the pool at the end of the event.
 *
 * <p>The JDK never learns about the bytes in a pipe; it only watches the sockets, and its
 * selector is level-triggered, so readiness stays set for bytes a splice left behind. Loop
 * thread only.
 */
final class SpliceFlow extends Flow {

    /** Reads per readiness event, so that one busy connection cannot starve the loop. */
    private static final int MAX_READS_PER_EVENT = 16;

    private final int sourceFd;
    private final int sinkFd;
    private final LinuxCalls calls;
    private final PipePool pipes;
    private final BufferPool copyBuffers;
    /** Copied bytes the sink has not taken yet, flipped; null when there are none. */
    private ByteBuffer pending;
    /** Null unless splicing; then {@code inPipe} bytes wait in it for the sink. */
    private Pipe pipe;
    private int inPipe;
    /** The last read found more than a copy buffer holds: splice straight away. */
    private boolean bulk;

    SpliceFlow(RelaySocket source, int sourceFd, RelaySocket sink, int sinkFd,
               LinuxCalls calls, PipePool pipes, BufferPool copyBuffers) {
        super(source, sink);
        this.sourceFd = sourceFd;
        this.sinkFd = sinkFd;
        this.calls = calls;
        this.pipes = pipes;
        this.copyBuffers = copyBuffers;
    }

    @Override
    public void pump() throws IOException {
        if (!flushHeld()) {
            return;
        }
        if (!sourceEnded && !awaitingBuffer() && (bulk || !copy())) {
            splice();
        }
        if (pipe != null && inPipe == 0) {
            pipes.release(pipe);
            pipe = null;
        }
    }

    /** Writes what is held. @return whether nothing is held any more */
    private boolean flushHeld() throws IOException {
        if (pending != null) {
            bytesWritten += sink.write(pending);
            if (pending.hasRemaining()) {
                return false;
            }
            copyBuffers.release(pending);
            pending = null;
        }
        return inPipe == 0 || drainPipe();
    }

    /**
     * One read into a copy buffer and one write. @return whether the event is over (source
     * drained or ended, or sink full); false when the buffer filled and the sink took it all,
     * so more is likely waiting: then the flow turns to splicing.
     */
    private boolean copy() throws IOException {
        ByteBuffer buffer = copyBuffers.acquire();
        if (buffer == null) {
            awaitBuffer(copyBuffers);
            return true;
        }
        try {
            int read = readThenWrite(buffer);
            if (read <= 0) {
                return true;
            }
            if (buffer.hasRemaining()) {
                pending = buffer;
                buffer = null;
                return true;
            }
            if (read < buffer.capacity()) {
                // A short read drained the socket.
                return true;
            }
            bulk = true;
            return false;
        } finally {
            // Also when the read or the write fails (a reset): the pool counts the buffer
            // against its ceiling until it comes back.
            if (buffer != null) {
                copyBuffers.release(buffer);
            }
        }
    }

    /** Source to pipe to sink, while the source has bytes and the sink takes them all. */
    private void splice() throws IOException {
        if (pipe == null) {
            try {
                pipe = pipes.acquire();
            } catch (IOException noPipe) {
                // No pipe to be had (EMFILE, ENFILE): this event copies instead, and the
                // connection goes on; a later event tries for a pipe again.
                pipes.unavailable(noPipe);
                copyWithoutPipe();
                return;
            }
        }
        int capacity = pipe.capacity();
        for (int reads = 0; reads < MAX_READS_PER_EVENT; reads++) {
            // The pipe is empty here, so "would block" can only mean the source is drained.
            long read = calls.splice(sourceFd, pipe.writeFd(), capacity);
            if (read == LinuxCalls.WOULD_BLOCK) {
                return;
            }
            if (read == 0) {
                sourceEnded = true;
                return;
            }
            inPipe = (int) read;
            bulk = read >= copyBuffers.bufferSize();
            sourceEnded = read < capacity && source.peerShutdownSeen();
            if (!drainPipe() || read < capacity) {
                // Sink full, or a short read: the source is most likely drained, and another
                // splice would only say so. Were it not, readiness stays set (level-triggered).
                return;
            }
        }
    }

    /** The buffer path for one event, as many reads as splicing would have done. */
    private void copyWithoutPipe() throws IOException {
        for (int reads = 0; reads < MAX_READS_PER_EVENT; reads++) {
            if (copy() || sourceEnded || pending != null || awaitingBuffer()) {
                return;
            }
        }
    }

    /** Pipe to sink. @return whether the pipe is empty now */
    private boolean drainPipe() throws IOException {
        long written = calls.splice(pipe.readFd(), sinkFd, inPipe);
        if (written > 0) {
            inPipe -= (int) written;
            bytesWritten += written;
            pipes.countDrained(written);
        }
        return inPipe == 0;
    }

    @Override
    public boolean wantsRead() {
        return !sourceEnded && pending == null && inPipe == 0 && !awaitingBuffer();
    }

    @Override
    public boolean wantsWrite() {
        return pending != null || inPipe > 0;
    }

    @Override
    public boolean ended() {
        return sourceEnded && pending == null && inPipe == 0;
    }

    @Override
    public void release() {
        stopAwaitingBuffer();
        if (pending != null) {
            copyBuffers.release(pending);
            pending = null;
        }
        if (pipe != null) {
            if (inPipe == 0) {
                pipes.release(pipe);
            } else {
                pipes.discard(pipe);
            }
            pipe = null;
        }
    }
}
