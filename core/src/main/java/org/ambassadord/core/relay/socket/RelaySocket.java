package org.ambassadord.core.relay.socket;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * A non-blocking TCP socket as the relay uses it, whichever {@link LoopIo} made it: a
 * {@link java.nio.channels.SocketChannel} or a bare descriptor. Loop thread only.
 */
public interface RelaySocket {

    /** @return bytes read, 0 when none are waiting, -1 at end of stream */
    int read(ByteBuffer into) throws IOException;

    /** @return bytes written, 0 when the send buffer is full */
    int write(ByteBuffer from) throws IOException;

    /** Sends FIN: half-closes the socket. */
    void shutdownOutput() throws IOException;

    /**
     * Starts connecting.
     *
     * @return true when connected at once, false when the connect is pending
     */
    boolean connect(InetSocketAddress endpoint) throws IOException;

    /**
     * @return true once a pending connect completed, false while it is still pending
     * @throws IOException when it failed (refused, unreachable)
     */
    boolean finishConnect() throws IOException;

    /**
     * Whether the poller has reported that the peer shut its output down (epoll's
     * {@code EPOLLRDHUP}) before the current readiness event was handled: a read that then
     * comes back short has drained every byte the peer will ever send, and the flow can end
     * without the read that would return end of stream. False where the poller cannot tell.
     */
    default boolean peerShutdownSeen() {
        return false;
    }

    /**
     * Whether bytes were read from the network that {@link #read} has not handed out yet, so
     * that no readiness event will announce them (a TLS socket holding a decrypted record).
     */
    default boolean hasBufferedInput() {
        return false;
    }

    /**
     * Whether bytes {@link #write} took are still held for the network (a TLS socket's
     * encrypted record the kernel could not take yet); {@link #flush()} writes them.
     */
    default boolean hasPendingOutput() {
        return false;
    }

    /** Writes what is held (see {@link #hasPendingOutput()}); true when nothing is held any more. */
    default boolean flush() throws IOException {
        return true;
    }

    /** The file descriptor (splice, peek, {@code SO_ORIGINAL_DST}), or -1 when it cannot be had. */
    int fd();

    /** Closes the socket; a failure is logged, nothing else can be done about it. */
    void closeQuietly();

    /**
     * Closes with a reset ({@code SO_LINGER} 0): for a connection refused before a byte was
     * read, so that a flood of them leaves no {@code TIME_WAIT} socket behind (as HAProxy's
     * {@code tcp-request connection reject}).
     */
    default void resetQuietly() {
        closeQuietly();
    }
}
