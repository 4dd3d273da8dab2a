package org.ambassadord.core.relay.transfer;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Direct buffers of one size for the flows of one {@link RelayLoop}. A flow takes a buffer only
 * while it moves bytes and keeps it only while its sink cannot take them, so an idle
 * connection holds none and the pool stays as large as the number of stalled directions at
 * its peak.
 *
 * <p>The pool never hands out more than its ceiling (derived from the JVM's direct-memory limit
 * by {@link DirectMemoryBudget}): allocating past that limit throws {@link OutOfMemoryError}
 * for whichever connection asked last. At the ceiling {@link #acquire()} returns null, the flow
 * stops reading its source and queues here ({@link #await}); each release wakes the longest
 * waiting flow, which reads again. So a full pool slows senders down (backpressure), as
 * HAProxy's buffer wait queue does, instead of failing connections. Loop thread only: no
 * locking.
 */
final class BufferPool {

    private final int bufferSize;
    private final int maxPooled;
    private final int ceiling;
    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
    /** Flows that found the pool at its ceiling, longest waiting first; each wakes once. */
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    /** Written by the loop only (so ++ is safe); volatile so that /metrics can read it. */
    private volatile int outstanding;
    private volatile long waits;

    /**
     * @param bufferSize bytes per buffer, the most one direction of a connection holds
     * @param maxPooled  free buffers kept for reuse; more are left to the garbage collector
     * @param ceiling    buffers handed out at most at once, at least 1
     */
    BufferPool(int bufferSize, int maxPooled, int ceiling) {
        if (ceiling < 1) {
            throw new IllegalArgumentException("ceiling [" + ceiling + "] must be at least 1");
        }
        this.bufferSize = bufferSize;
        this.maxPooled = maxPooled;
        this.ceiling = ceiling;
    }

    /** A buffer, or null at the ceiling: then the caller {@link #await}s one. */
    ByteBuffer acquire() {
        if (outstanding >= ceiling) {
            return null;
        }
        outstanding++;
        ByteBuffer buffer = free.pollFirst();
        return buffer != null ? buffer : ByteBuffer.allocateDirect(bufferSize);
    }

    /**
     * Queues {@code wake} to run (on the loop, inside a later {@link #release}) when a buffer
     * is back. The caller must {@link #cancel} it if it closes first.
     */
    void await(Runnable wake) {
        waits++;
        waiting.addLast(wake);
    }

    /** Forgets a queued {@code wake}; a no-op if it is not queued. */
    void cancel(Runnable wake) {
        waiting.remove(wake);
    }

    void release(ByteBuffer buffer) {
        outstanding--;
        if (free.size() < maxPooled) {
            buffer.clear();
            free.addFirst(buffer);
        }
        Runnable next = waiting.pollFirst();
        if (next != null) {
            // Only turns read interest back on: the read itself comes with the next select, so
            // a flow releasing in the middle of its own pump never re-enters another one.
            next.run();
        }
    }

    int bufferSize() {
        return bufferSize;
    }

    int ceiling() {
        return ceiling;
    }

    /** Buffers handed out and not yet released. */
    int outstanding() {
        return outstanding;
    }

    /** Times a flow found the pool at its ceiling and waited. */
    long waits() {
        return waits;
    }
}
