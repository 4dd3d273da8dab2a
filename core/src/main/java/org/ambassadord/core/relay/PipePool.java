package org.ambassadord.core.relay;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;

/**
 * Empty pipes for one {@link RelayLoop}, and the {@link SpliceFlow}s that use them. A flow
 * takes a pipe only while it moves bytes and keeps it only while its sink cannot take them, so
 * an idle connection holds no pipe (and no file descriptors beyond its two sockets). A pipe
 * goes back to the pool only empty: one that still holds bytes when its connection dies is
 * closed, or its leftovers would reach the next connection. Loop thread only: no locking.
 */
final class PipePool implements Transfer {

    /** Two descriptors and the room the kernel granted: the most one direction holds. */
    record Pipe(int readFd, int writeFd, int capacity) {
    }

    private final Splice splice;
    private final int capacity;
    private final int maxPooled;
    private final ArrayDeque<Pipe> free = new ArrayDeque<>();
    private int outstanding;

    /**
     * @param capacity  bytes asked of each pipe (F_SETPIPE_SZ), the most one direction holds
     * @param maxPooled empty pipes kept open for reuse; more are closed
     */
    PipePool(Splice splice, int capacity, int maxPooled) {
        this.splice = splice;
        this.capacity = capacity;
        this.maxPooled = maxPooled;
    }

    @Override
    public Flow flow(SocketChannel source, SocketChannel sink) throws IOException {
        return new SpliceFlow(descriptor(source), descriptor(sink), sink, this);
    }

    @Override
    public int held() {
        return outstanding;
    }

    /** An empty pipe, reused or new. */
    Pipe acquire() throws IOException {
        Pipe pipe = free.pollFirst();
        if (pipe == null) {
            pipe = splice.openPipe(capacity);
        }
        outstanding++;
        return pipe;
    }

    /** Takes back a pipe its flow has emptied. */
    void release(Pipe pipe) {
        outstanding--;
        if (free.size() < maxPooled) {
            free.addFirst(pipe);
        } else {
            close(pipe);
        }
    }

    /** Closes a pipe that may still hold bytes: they belong to a connection that is gone. */
    void discard(Pipe pipe) {
        outstanding--;
        close(pipe);
    }

    Splice splice() {
        return splice;
    }

    /** Empty pipes kept open; for tests. */
    int pooled() {
        return free.size();
    }

    private void close(Pipe pipe) {
        splice.close(pipe.readFd());
        splice.close(pipe.writeFd());
    }

    private static int descriptor(SocketChannel channel) throws IOException {
        int fd = SocketDescriptors.fdOf(channel);
        if (fd < 0) {
            throw new IOException("the socket's file descriptor is not readable");
        }
        return fd;
    }
}
