package org.ambassadord.core.relay.transfer;

import org.ambassadord.core.relay.socket.RelaySocket;


/** The buffer path: {@link BufferFlow}s drawing on one pool of direct buffers. Loop thread only. */
final class BufferTransfer implements Transfer {

    private final BufferPool buffers;

    BufferTransfer(BufferPool buffers) {
        this.buffers = buffers;
    }

    @Override
    public Flow flow(RelaySocket source, RelaySocket sink) {
        return new BufferFlow(source, sink, buffers);
    }

    @Override
    public Flow bufferedFlow(RelaySocket source, RelaySocket sink) {
        return new BufferFlow(source, sink, buffers);
    }

    @Override
    public long bufferWaits() {
        return buffers.waits();
    }

    @Override
    public int held() {
        return buffers.outstanding();
    }
}
