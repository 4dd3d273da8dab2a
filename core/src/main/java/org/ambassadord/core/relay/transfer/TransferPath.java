package org.ambassadord.core.relay.transfer;

import java.io.IOException;

import org.tinylog.Logger;
import org.ambassadord.core.relay.socket.LinuxCalls;
import org.ambassadord.core.relay.socket.Pipe;
import org.ambassadord.core.relay.socket.SocketDescriptors;

/**
 * The one place that decides how relays move bytes: splice(2) through pooled pipes (zero-copy)
 * on Linux, unless it was turned off or cannot work here, and pooled buffers otherwise. Decided
 * once per server, with the reason for a fall-back logged.
 */
public final class TransferPath {

    /** Free buffers or empty pipes each loop keeps for reuse. */
    private static final int POOLED_PER_LOOP = 64;
    /**
     * The splice path copies reads up to this size rather than splicing them: requests and
     * replies of keep-alive traffic mostly fit, and copying them is cheaper.
     */
    private static final int COPY_BUFFER_SIZE = 16 * 1024;

    private final int bufferSize;
    private final int loops;
    /** Null on the buffer path. */
    private final LinuxCalls calls;
    private final String description;
    private final DirectMemoryBudget budget = DirectMemoryBudget.ofThisJvm();

    private TransferPath(int bufferSize, int loops, LinuxCalls calls, String description) {
        this.bufferSize = bufferSize;
        this.loops = loops;
        this.calls = calls;
        this.description = description;
    }

    /**
     * Splice where possible, buffers otherwise; logs the choice and, for buffers, why.
     *
     * @param splice     whether splice(2) is wanted ({@code --no-splice} says no)
     * @param bufferSize the buffer or pipe size per stalled direction
     * @param loops      how many loops share the direct-memory budget
     */
    public static TransferPath choose(boolean splice, int bufferSize, int loops) {
        TransferPath path = decide(splice, bufferSize, loops);
        int size = path.splices() ? copyBufferSize(bufferSize) : bufferSize;
        Logger.info("relay path: {}; at most {} buffers per loop (3/4 of the direct-memory limit), then flows wait",
                path.description, path.budget.buffersPerLoop(size, loops));
        return path;
    }

    private static TransferPath decide(boolean splice, int bufferSize, int loops) {
        String buffers = "buffers of " + kib(bufferSize) + " per stalled direction";
        if (!splice) {
            return new TransferPath(bufferSize, loops, null, buffers + " (--no-splice)");
        }
        if (!SocketDescriptors.readable()) {
            return new TransferPath(bufferSize, loops, null, buffers + "; splice is off: socket file descriptors are not readable"
                    + " (the launcher must pass --add-exports java.base/sun.nio.ch=org.ambassadord.core)");
        }
        LinuxCalls calls;
        try {
            calls = LinuxCalls.instance();
        } catch (UnsupportedOperationException e) {
            return new TransferPath(bufferSize, loops, null, buffers + "; splice is off: " + e.getMessage());
        }
        int granted;
        try {
            // One pipe up front: proves pipes can be made and sized here, and tells the bound.
            Pipe probe = calls.openPipe(bufferSize);
            granted = probe.capacity();
            calls.close(probe.readFd());
            calls.close(probe.writeFd());
        } catch (IOException e) {
            return new TransferPath(bufferSize, loops, null, buffers + "; splice is off: " + e.getMessage());
        }
        return new TransferPath(bufferSize, loops, calls, "splice(2) through pipes of " + kib(granted)
                + " per stalled direction; messages up to " + kib(copyBufferSize(bufferSize)) + " copied");
    }

    public boolean splices() {
        return calls != null;
    }

    /** The transfer of one loop: its own pools of pipes or buffers. */
    public Transfer newForLoop() {
        if (calls == null) {
            return new BufferTransfer(bufferPool(bufferSize));
        }
        // TLS flows cannot splice: they get buffers of the full size from a pool of their own,
        // held to a quarter of the budget so that both pools together stay within it.
        return new SpliceTransfer(calls, new PipePool(calls, bufferSize, POOLED_PER_LOOP),
                bufferPool(copyBufferSize(bufferSize)),
                new BufferPool(bufferSize, POOLED_PER_LOOP, Math.max(1, budget.buffersPerLoop(bufferSize, loops) / 4)));
    }

    private BufferPool bufferPool(int size) {
        return new BufferPool(size, POOLED_PER_LOOP, budget.buffersPerLoop(size, loops));
    }

    private static int copyBufferSize(int bufferSize) {
        return Math.min(COPY_BUFFER_SIZE, bufferSize);
    }

    private static String kib(int bytes) {
        return bytes % 1024 == 0 ? bytes / 1024 + " KiB" : bytes + " bytes";
    }
}
