package org.ambassadord.core.relay;

import java.io.IOException;

import org.tinylog.Logger;

/**
 * The one place that decides how relays move bytes: splice(2) through pooled pipes (zero-copy)
 * on Linux, unless it was turned off or cannot work here, and pooled buffers otherwise. Decided
 * once per server, with the reason for a fall-back logged.
 */
final class TransferPath {

    /** Free buffers or empty pipes each loop keeps for reuse. */
    private static final int POOLED_PER_LOOP = 64;

    private final RelaySettings settings;
    /** Null on the buffer path. */
    private final Splice splice;
    private final String description;

    private TransferPath(RelaySettings settings, Splice splice, String description) {
        this.settings = settings;
        this.splice = splice;
        this.description = description;
    }

    /** Splice where possible, buffers otherwise; logs the choice and, for buffers, why. */
    static TransferPath choose(RelaySettings settings) {
        TransferPath path = decide(settings);
        Logger.info("relay path: {}", path.description);
        return path;
    }

    private static TransferPath decide(RelaySettings settings) {
        String buffers = "buffers of " + kib(settings.bufferSize()) + " per stalled direction";
        if (!settings.splice()) {
            return new TransferPath(settings, null, buffers + " (--no-splice)");
        }
        if (!SocketDescriptors.readable()) {
            return new TransferPath(settings, null, buffers + "; splice is off: socket file descriptors are not readable"
                    + " (the launcher must pass --add-exports java.base/sun.nio.ch=org.ambassadord.core)");
        }
        Splice splice;
        try {
            splice = Native.splice();
        } catch (UnsupportedOperationException e) {
            return new TransferPath(settings, null, buffers + "; splice is off: " + e.getMessage());
        }
        int granted;
        try {
            // One pipe up front: proves pipes can be made and sized here, and tells the bound.
            PipePool.Pipe probe = splice.openPipe(settings.bufferSize());
            granted = probe.capacity();
            splice.close(probe.readFd());
            splice.close(probe.writeFd());
        } catch (IOException e) {
            return new TransferPath(settings, null, buffers + "; splice is off: " + e.getMessage());
        }
        return new TransferPath(settings, splice, "splice(2) through pipes of " + kib(granted) + " per stalled direction");
    }

    boolean splices() {
        return splice != null;
    }

    /** The transfer of one loop: its own pool of pipes or of buffers. */
    Transfer newForLoop() {
        return splice != null
                ? new PipePool(splice, settings.bufferSize(), POOLED_PER_LOOP)
                : new BufferPool(settings.bufferSize(), POOLED_PER_LOOP);
    }

    private static String kib(int bytes) {
        return bytes % 1024 == 0 ? bytes / 1024 + " KiB" : bytes + " bytes";
    }

    /** jffi is loaded once per process, at the first server that may splice. */
    private static final class Native {
        private static final Splice SPLICE;
        private static final UnsupportedOperationException UNAVAILABLE;

        static {
            Splice loaded = null;
            UnsupportedOperationException failure = null;
            try {
                loaded = Splice.load();
            } catch (UnsupportedOperationException e) {
                failure = e;
            }
            SPLICE = loaded;
            UNAVAILABLE = failure;
        }

        static Splice splice() {
            if (SPLICE == null) {
                throw UNAVAILABLE;
            }
            return SPLICE;
        }
    }
}
