package org.ambassadord.core.relay;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one relay server, updated by every loop. The active count is exact (drain waits
 * for it to reach zero); the others are sums read without a snapshot guarantee.
 */
public final class RelayStats {

    private final LongAdder accepted = new LongAdder();
    private final LongAdder relayed = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder bytesUp = new LongAdder();
    private final LongAdder bytesDown = new LongAdder();
    private final AtomicLong active = new AtomicLong();

    void onAccepted() {
        accepted.increment();
        active.incrementAndGet();
    }

    void onRelaying() {
        relayed.increment();
    }

    /** No endpoint for the client (backend refused, or returned none). */
    void onRefused() {
        refused.increment();
    }

    /** Endpoints known, but none of them accepted the connection. */
    void onFailed() {
        failed.increment();
    }

    void onClosed(long up, long down) {
        bytesUp.add(up);
        bytesDown.add(down);
        active.decrementAndGet();
    }

    public long accepted() {
        return accepted.sum();
    }

    public long relayed() {
        return relayed.sum();
    }

    public long refused() {
        return refused.sum();
    }

    public long failed() {
        return failed.sum();
    }

    public long active() {
        return active.get();
    }

    public long bytesUp() {
        return bytesUp.sum();
    }

    public long bytesDown() {
        return bytesDown.sum();
    }

    @Override
    public String toString() {
        return "accepted=" + accepted() + " relayed=" + relayed() + " refused=" + refused()
                + " failed=" + failed() + " active=" + active() + " bytesUp=" + bytesUp()
                + " bytesDown=" + bytesDown();
    }
}
