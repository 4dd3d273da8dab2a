package org.ambassadord.core.relay.transfer;

import java.io.IOException;
import org.ambassadord.core.relay.socket.LinuxCalls;
import org.ambassadord.core.relay.socket.RelaySocket;

/**
 * The zero-copy path: {@link SpliceFlow}s drawing on a pool of pipes, and on a pool of small
 * buffers for the short messages they copy instead. Loop thread only.
 */
final class SpliceTransfer implements Transfer {

    private final LinuxCalls calls;
    private final PipePool pipes;
    private final BufferPool copyBuffers;
    /** Full-size buffers for the flows splice cannot carry (TLS). */
    private final BufferPool fullBuffers;

    SpliceTransfer(LinuxCalls calls, PipePool pipes, BufferPool copyBuffers, BufferPool fullBuffers) {
        this.calls = calls;
        this.pipes = pipes;
        this.copyBuffers = copyBuffers;
        this.fullBuffers = fullBuffers;
    }

    @Override
    public Flow flow(RelaySocket source, RelaySocket sink) throws IOException {
        return new SpliceFlow(source, descriptor(source), sink, descriptor(sink), calls, pipes, copyBuffers);
    }

    /** Through full-size buffers: several TLS records per read and per write. */
    @Override
    public Flow bufferedFlow(RelaySocket source, RelaySocket sink) {
        return new BufferFlow(source, sink, fullBuffers);
    }

    @Override
    public long bufferWaits() {
        return copyBuffers.waits() + fullBuffers.waits();
    }

    @Override
    public int held() {
        return pipes.outstanding() + copyBuffers.outstanding() + fullBuffers.outstanding();
    }

    @Override
    public long bytesSpliced() {
        return pipes.bytesDrained();
    }

    private static int descriptor(RelaySocket channel) throws IOException {
        int fd = channel.fd();
        if (fd < 0) {
            throw new IOException("the socket's file descriptor is not readable");
        }
        return fd;
    }
}
