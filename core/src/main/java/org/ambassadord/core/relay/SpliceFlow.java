package org.ambassadord.core.relay;

import java.io.IOException;
import java.nio.channels.SocketChannel;

/**
 * A {@link Flow} that moves bytes with splice(2): source socket to a pipe, then pipe to sink
 * socket, without copying them through user space. The pipe comes from the loop's
 * {@link PipePool} when the source is readable and goes back as soon as it is empty; bytes
 * still in it are the direction's backlog, bounded by the pipe's capacity, and stop reading
 * the source exactly as {@link BufferFlow}'s pending buffer does.
 *
 * <p>The JDK never reads or writes these sockets itself (it would not know about the bytes in
 * the pipe), it only watches them: its selector is level-triggered, so readiness stays true
 * for bytes splice left behind. Both splices are non-blocking (sockets in non-blocking mode,
 * {@code SPLICE_F_NONBLOCK} for the pipe). Loop thread only.
 */
final class SpliceFlow implements Flow {

    /** Source reads per readiness event, so that one busy connection cannot starve the loop. */
    private static final int MAX_READS_PER_EVENT = 16;

    private final int sourceFd;
    private final int sinkFd;
    private final SocketChannel sink;
    private final PipePool pipes;
    private final Splice splice;
    /** Null unless bytes are on their way; then {@code inPipe} of them wait in it. */
    private PipePool.Pipe pipe;
    private int inPipe;
    private boolean sourceEnded;
    private boolean sinkShutDown;
    private long bytesWritten;

    SpliceFlow(int sourceFd, int sinkFd, SocketChannel sink, PipePool pipes) {
        this.sourceFd = sourceFd;
        this.sinkFd = sinkFd;
        this.sink = sink;
        this.pipes = pipes;
        this.splice = pipes.splice();
    }

    @Override
    public void pump() throws IOException {
        if (inPipe > 0 && !drain()) {
            return;
        }
        if (!sourceEnded) {
            transfer();
        }
        if (inPipe == 0 && pipe != null) {
            pipes.release(pipe);
            pipe = null;
        }
        if (sourceEnded && inPipe == 0 && !sinkShutDown) {
            sinkShutDown = true;
            sink.shutdownOutput();
        }
    }

    /** Source to pipe to sink, while the source has bytes and the sink takes them all. */
    private void transfer() throws IOException {
        if (pipe == null) {
            pipe = pipes.acquire();
        }
        int capacity = pipe.capacity();
        for (int reads = 0; reads < MAX_READS_PER_EVENT; reads++) {
            // The pipe is empty here, so "would block" can only mean the source is drained.
            long read = splice.splice(sourceFd, pipe.writeFd(), capacity);
            if (read == Splice.WOULD_BLOCK) {
                return;
            }
            if (read == 0) {
                sourceEnded = true;
                return;
            }
            inPipe = (int) read;
            if (!drain() || read < capacity) {
                // Sink full, or a short read: the source is most likely drained, and another
                // splice would only say so. Were it not, readiness stays set (level-triggered).
                return;
            }
        }
    }

    /** Pipe to sink. @return whether the pipe is empty now */
    private boolean drain() throws IOException {
        long written = splice.splice(pipe.readFd(), sinkFd, inPipe);
        if (written > 0) {
            inPipe -= (int) written;
            bytesWritten += written;
        }
        return inPipe == 0;
    }

    @Override
    public boolean wantsRead() {
        return !sourceEnded && inPipe == 0;
    }

    @Override
    public boolean wantsWrite() {
        return inPipe > 0;
    }

    @Override
    public boolean isDone() {
        return sinkShutDown;
    }

    @Override
    public long bytesWritten() {
        return bytesWritten;
    }

    @Override
    public void release() {
        if (pipe == null) {
            return;
        }
        if (inPipe == 0) {
            pipes.release(pipe);
        } else {
            pipes.discard(pipe);
        }
        pipe = null;
    }
}
