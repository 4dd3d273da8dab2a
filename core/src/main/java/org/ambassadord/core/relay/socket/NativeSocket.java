package org.ambassadord.core.relay.socket;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

import com.kenai.jffi.MemoryIO;

/**
 * A {@link RelaySocket} that is a bare descriptor of {@link EpollLoopIo}: reads and writes go
 * straight from and to the pool's direct buffers, a connect is finished by asking again.
 */
public final class NativeSocket implements RelaySocket {

    private static final MemoryIO MEMORY = MemoryIO.getInstance();

    private final SocketCalls calls;
    private final int fd;
    /** The loop's scratch memory for socket addresses (loop thread only). */
    private final long addressScratch;
    private InetSocketAddress connectingTo;
    private boolean closed;
    private boolean peerShutdownSeen;

    public NativeSocket(SocketCalls calls, int fd, long addressScratch) {
        this.calls = calls;
        this.fd = fd;
        this.addressScratch = addressScratch;
    }

    @Override
    public int read(ByteBuffer into) throws IOException {
        int position = into.position();
        int room = into.limit() - position;
        if (room == 0) {
            return 0;
        }
        long read;
        if (into.isDirect()) {
            read = calls.read(fd, MEMORY.getDirectBufferAddress(into) + position, room);
        } else {
            read = readIntoHeap(into, room);
        }
        if (read == SocketCalls.WOULD_BLOCK) {
            return 0;
        }
        if (read == 0) {
            return -1;
        }
        into.position(position + (int) read);
        return (int) read;
    }

    /** Heap buffers are not the relay's (its pools are direct); kept correct, not fast. */
    private long readIntoHeap(ByteBuffer into, int room) throws IOException {
        long memory = MEMORY.allocateMemory(room, false);
        try {
            long read = calls.read(fd, memory, room);
            if (read > 0) {
                byte[] bytes = new byte[(int) read];
                MEMORY.getByteArray(memory, bytes, 0, bytes.length);
                into.duplicate().put(bytes);
            }
            return read;
        } finally {
            MEMORY.freeMemory(memory);
        }
    }

    @Override
    public int write(ByteBuffer from) throws IOException {
        int position = from.position();
        int length = from.limit() - position;
        if (length == 0) {
            return 0;
        }
        long written;
        if (from.isDirect()) {
            written = calls.write(fd, MEMORY.getDirectBufferAddress(from) + position, length);
        } else {
            written = writeFromHeap(from, length);
        }
        if (written == SocketCalls.WOULD_BLOCK) {
            return 0;
        }
        from.position(position + (int) written);
        return (int) written;
    }

    /** A PROXY protocol header, for instance: small, once per connection. */
    private long writeFromHeap(ByteBuffer from, int length) throws IOException {
        long memory = MEMORY.allocateMemory(length, false);
        try {
            byte[] bytes = new byte[length];
            from.duplicate().get(bytes);
            MEMORY.putByteArray(memory, bytes, 0, length);
            return calls.write(fd, memory, length);
        } finally {
            MEMORY.freeMemory(memory);
        }
    }

    @Override
    public void shutdownOutput() throws IOException {
        calls.shutdownOutput(fd);
    }

    @Override
    public boolean connect(InetSocketAddress endpoint) throws IOException {
        connectingTo = endpoint;
        return calls.connect(fd, addressScratch, SocketAddresses.write(endpoint, addressScratch));
    }

    @Override
    public boolean finishConnect() throws IOException {
        if (connectingTo == null) {
            throw new IOException("finishing a connect that was never started");
        }
        return calls.connect(fd, addressScratch, SocketAddresses.write(connectingTo, addressScratch));
    }

    @Override
    public boolean peerShutdownSeen() {
        return peerShutdownSeen;
    }

    /** The poller saw {@code EPOLLRDHUP}: the peer's FIN is queued behind whatever it sent. */
    public void peerShutDown() {
        peerShutdownSeen = true;
    }

    @Override
    public int fd() {
        return fd;
    }

    @Override
    public void closeQuietly() {
        if (!closed) {
            closed = true;
            calls.linux().close(fd);
        }
    }

    @Override
    public void resetQuietly() {
        if (!closed) {
            calls.linux().lingerZero(fd);
        }
        closeQuietly();
    }
}
