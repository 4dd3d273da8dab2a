package org.ambassadord.core.relay;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Direct buffers of one size for the flows of one {@link RelayLoop}. A flow takes a buffer only
 * while it moves bytes and keeps it only while its sink cannot take them, so an idle
 * connection holds none and the pool stays as large as the number of stalled directions at
 * its peak. Loop thread only: no locking.
 */
final class BufferPool {

    private final int bufferSize;
    private final int maxPooled;
    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
    /** Written by the loop only (so ++ is safe); volatile so that /metrics can read it. */
    private volatile int outstanding;

    /**
     * @param bufferSize bytes per buffer, the most one direction of a connection holds
     * @param maxPooled  free buffers kept for reuse; more are left to the garbage collector
     */
    BufferPool(int bufferSize, int maxPooled) {
        this.bufferSize = bufferSize;
        this.maxPooled = maxPooled;
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

    int bufferSize() {
        return bufferSize;
    }

    /** Buffers handed out and not yet released. */
    int outstanding() {
        return outstanding;
    }
}
