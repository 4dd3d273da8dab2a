package org.ambassadord.core.relay;

import java.util.function.Consumer;
import org.ambassadord.core.relay.loop.LoopTimers;
import org.ambassadord.core.relay.loop.RelayLoop;

/**
 * The idle and half-close deadlines of one relayed connection. Activity only stamps a field
 * (the loop's time of the current batch: no system call); one timer per connection, of a
 * fixed delay of a quarter of the limit, checks the stamp and re-arms, so a connection is
 * closed between 1 and 1.25 times the limit after it went quiet and the timers stay in
 * {@link LoopTimers}' fixed-delay lanes. Loop thread only.
 */
final class IdleWatch {

    private final RelayLoop loop;
    private final long idleNanos;
    private final long halfCloseNanos;
    private final Consumer<String> onTimeout;
    private long lastActivityNanos;
    private boolean halfClosed;
    private LoopTimers.Timer timer;

    /**
     * @param idleNanos      0 for no idle timeout
     * @param halfCloseNanos 0 for no half-close timeout
     * @param onTimeout      closes the connection, told why
     */
    IdleWatch(RelayLoop loop, long idleNanos, long halfCloseNanos, Consumer<String> onTimeout) {
        this.loop = loop;
        this.idleNanos = idleNanos;
        this.halfCloseNanos = halfCloseNanos;
        this.onTimeout = onTimeout;
    }

    void start() {
        lastActivityNanos = loop.batchNanos();
        arm();
    }

    void activity() {
        lastActivityNanos = loop.batchNanos();
    }

    /** One side ended: from now on the (usually shorter) half-close limit applies. */
    void halfClosed() {
        if (!halfClosed) {
            halfClosed = true;
            cancel();
            arm();
        }
    }

    void cancel() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    private long limit() {
        return halfClosed ? halfCloseNanos : idleNanos;
    }

    private void arm() {
        long limit = limit();
        if (limit > 0) {
            timer = loop.timers().schedule(Math.max(1_000_000L, limit / 4), this::check);
        }
    }

    private void check() {
        timer = null;
        long quiet = System.nanoTime() - lastActivityNanos;
        if (quiet >= limit()) {
            onTimeout.accept((halfClosed ? "half-close timeout: " : "idle timeout: ") + "quiet for "
                    + quiet / 1_000_000 + " ms");
        } else {
            arm();
        }
    }
}
