package org.ambassadord.core.relay.transfer;

import java.io.IOException;
import org.ambassadord.core.relay.socket.RelaySocket;

/**
 * How the relays of one {@link RelayLoop} move bytes, and the pool they draw on while they do:
 * {@link BufferPool} (read into a buffer, write from it) or {@link PipePool} (splice(2)
 * through a pipe). One per loop, chosen by {@link TransferPath}. Loop thread only.
 */
public interface Transfer {

    /** A flow from {@code source} to {@code sink}; it holds nothing until it moves bytes. */
    Flow flow(RelaySocket source, RelaySocket sink) throws IOException;

    /**
     * A flow through buffers whatever this loop's path: for sockets whose bytes splice(2)
     * cannot carry (TLS, where the relay must see the plaintext).
     */
    Flow bufferedFlow(RelaySocket source, RelaySocket sink);

    /**
     * Buffers or pipes this loop's flows hold right now: its stalled directions. Any thread
     * (the value as the loop last wrote it).
     */
    int held();

    /** Times a flow of this loop found its buffer pool at the ceiling and waited. */
    long bufferWaits();

    /** Bytes this loop's flows moved through pipes rather than buffers; for tests and diagnostics. */
    default long bytesSpliced() {
        return 0;
    }
}
