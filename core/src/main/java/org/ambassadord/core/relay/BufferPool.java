package org.ambassadord.core.relay;

import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;

/**
 * Direct buffers of one size for one {@link RelayLoop}, and the {@link BufferFlow}s that use
 * them. A flow takes a buffer only while it moves bytes and keeps it only while its sink cannot
 * take them, so an idle connection holds none and the pool stays as large as the number of
 * stalled directions at its peak. Loop thread only: no locking.
 */
final class BufferPool implements Transfer {

    private final int bufferSize;
    private final int maxPooled;
    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
    private int outstanding;

    /**
     * @param bufferSize bytes per buffer, the most one direction of a connection holds
     * @param maxPooled  free buffers kept for reuse; more are left to the garbage collector
     */
    BufferPool(int bufferSize, int maxPooled) {
        this.bufferSize = bufferSize;
        this.maxPooled = maxPooled;
    }

    @Override
    public Flow flow(SocketChannel source, SocketChannel sink) {
        return new BufferFlow(source, sink, this);
    }

    @Override
    public int held() {
        return outstanding;
    }

    ByteBuffer acquire() {
        outstanding++;
        ByteBuffer buffer = free.pollFirst();
        return buffer != null ? buffer : ByteBuffer.allocateDirect(bufferSize);
    }

    void release(ByteBuffer buffer) {
        outstanding--;
        if (free.size() < maxPooled) {
            buffer.clear();
            free.addFirst(buffer);
        }
    }
}
