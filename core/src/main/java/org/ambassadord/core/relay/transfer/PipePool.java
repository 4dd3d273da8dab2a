package org.ambassadord.core.relay.transfer;

import java.io.IOException;
import java.util.ArrayDeque;

import org.tinylog.Logger;
import org.ambassadord.core.relay.socket.LinuxCalls;
import org.ambassadord.core.relay.socket.Pipe;

/**
 * Empty pipes for the splice flows of one {@link RelayLoop}. A flow takes a pipe only while it
 * splices and keeps it only while its sink cannot take what is in it, so an idle connection
 * holds no pipe (and no file descriptors beyond its two sockets). A pipe comes back to the
 * pool only empty: one that still holds bytes when its connection dies is closed, or its
 * leftovers would reach the next connection. Loop thread only: no locking.
 */
final class PipePool {

    private final LinuxCalls calls;
    private final int capacity;
    private final int maxPooled;
    private final ArrayDeque<Pipe> free = new ArrayDeque<>();
    /** Written by the loop only (so ++ is safe); volatile so that /metrics can read it. */
    private volatile int outstanding;
    private long unavailable;
    private volatile long bytesDrained;

    /**
     * @param capacity  bytes asked of each pipe (F_SETPIPE_SZ), the most one direction holds
     * @param maxPooled empty pipes kept open for reuse; more are closed
     */
    PipePool(LinuxCalls calls, int capacity, int maxPooled) {
        this.calls = calls;
        this.capacity = capacity;
        this.maxPooled = maxPooled;
    }

    /** An empty pipe, reused or new. */
    Pipe acquire() throws IOException {
        Pipe pipe = free.pollFirst();
        if (pipe == null) {
            pipe = calls.openPipe(capacity);
        }
        outstanding++;
        return pipe;
    }

    /** Takes back a pipe its flow has emptied. */
    void release(Pipe pipe) {
        if (free.size() < maxPooled) {
            free.addFirst(pipe);
        } else {
            close(pipe);
        }
        outstanding--;
    }

    /**
     * Closes a pipe that may still hold bytes: they belong to a connection that is gone. The
     * count drops after the descriptors are closed, so that whoever reads it (metrics, tests)
     * never sees a pipe counted as given back while its descriptors are still open.
     */
    void discard(Pipe pipe) {
        close(pipe);
        outstanding--;
    }

    /** Counts bytes a flow moved out of a pipe. */
    void countDrained(long bytes) {
        bytesDrained += bytes;
    }

    long bytesDrained() {
        return bytesDrained;
    }

    /**
     * A pipe could not be opened and a flow copies instead; said once per pool (per loop),
     * then counted.
     */
    void unavailable(IOException why) {
        if (unavailable++ == 0) {
            Logger.warn("no pipe could be opened ({}); connections copy through buffers until one can", why.getMessage());
        }
    }

    /** Times a flow copied because no pipe could be opened; for tests and diagnostics. */
    long unavailableCount() {
        return unavailable;
    }

    /** Pipes handed out and not yet given back. */
    int outstanding() {
        return outstanding;
    }

    private void close(Pipe pipe) {
        calls.close(pipe.readFd());
        calls.close(pipe.writeFd());
    }
}
