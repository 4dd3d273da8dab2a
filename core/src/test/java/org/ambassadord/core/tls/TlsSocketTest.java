package org.ambassadord.core.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;

import org.ambassadord.core.relay.socket.RelaySocket;
import org.ambassadord.spi.testkit.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The socket's own buffering: a record and the peer's close_notify that arrive in one read are
 * both delivered — the end of stream is reported as buffered input until read returns it, since
 * no readiness event will come for it (real peers in the relay tests hit this by timing only).
 */
class TlsSocketTest {

    @TempDir
    Path directory;

    /** The network side of the socket: bytes the test put there, then end of stream if asked. */
    private static final class Wire implements RelaySocket {
        final ByteBuffer incoming = ByteBuffer.allocate(1 << 16);
        final ByteBuffer outgoing = ByteBuffer.allocate(1 << 16);

        @Override
        public int read(ByteBuffer into) {
            incoming.flip();
            int n = Math.min(incoming.remaining(), into.remaining());
            into.put(into.position(), incoming, incoming.position(), n).position(into.position() + n);
            incoming.position(incoming.position() + n).compact();
            return n;
        }

        @Override
        public int write(ByteBuffer from) {
            int n = from.remaining();
            outgoing.put(from);
            return n;
        }

        @Override
        public void shutdownOutput() {
        }

        @Override
        public boolean connect(InetSocketAddress endpoint) {
            return true;
        }

        @Override
        public boolean finishConnect() {
            return true;
        }

        @Override
        public int fd() {
            return -1;
        }

        @Override
        public void closeQuietly() {
        }
    }

    @Test
    void aRecordAndCloseNotifyInOneReadAreBothDelivered() throws Exception {
        TestCertificates pki = TestCertificates.create(directory);
        SSLEngine client = UpstreamTls.of(Optional.of(pki.ca()), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Duration.ofSeconds(1)).engineFor(new InetSocketAddress("127.0.0.1", 1), false);
        SSLEngine server = ServerTls.of(pki.serverCert(), pki.serverKey(), Optional.empty(), Duration.ofSeconds(1)).newEngine();
        ByteBuffer toClient = ByteBuffer.allocate(1 << 16);
        handshake(client, server, toClient);

        // Whatever the server sent after the handshake (TLS 1.3 session tickets) comes first.
        ByteBuffer flight = toClient.flip();
        flight.compact();
        server.wrap(ByteBuffer.wrap("ping".getBytes(StandardCharsets.US_ASCII)), flight);
        server.closeOutbound();
        server.wrap(ByteBuffer.allocate(0), flight);
        flight.flip();

        Wire wire = new Wire();
        wire.incoming.put(flight);
        TlsSocket socket = new TlsSocket(wire, client, ByteBuffer.allocate(0), ByteBuffer.allocate(0));
        ByteBuffer into = ByteBuffer.allocate(16 * 1024);
        assertEquals(4, socket.read(into));
        assertTrue(socket.hasBufferedInput(), "the close_notify read with the record is still to be reported");
        assertEquals(-1, socket.read(into));
        assertFalse(socket.hasBufferedInput());
        assertEquals("ping", new String(into.array(), 0, 4, StandardCharsets.US_ASCII));
    }

    /** Both engines' handshake through memory, tasks run in place. */
    private static void handshake(SSLEngine client, SSLEngine server, ByteBuffer toClient) throws IOException {
        client.beginHandshake();
        server.beginHandshake();
        ByteBuffer toServer = ByteBuffer.allocate(1 << 16);
        ByteBuffer scratch = ByteBuffer.allocate(1 << 16);
        for (int i = 0; i < 100 && (busy(client) || busy(server)); i++) {
            step(client, toClient, toServer, scratch);
            step(server, toServer, toClient, scratch);
        }
        assertFalse(busy(client) || busy(server), "the handshake finished");
    }

    private static boolean busy(SSLEngine engine) {
        SSLEngineResult.HandshakeStatus status = engine.getHandshakeStatus();
        return status != SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING && status != SSLEngineResult.HandshakeStatus.FINISHED;
    }

    private static void step(SSLEngine engine, ByteBuffer in, ByteBuffer out, ByteBuffer scratch) throws IOException {
        switch (engine.getHandshakeStatus()) {
            case NEED_WRAP -> engine.wrap(ByteBuffer.allocate(0), out);
            case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                in.flip();
                engine.unwrap(in, scratch.clear());
                in.compact();
            }
            case NEED_TASK -> {
                for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
                    task.run();
                }
            }
            default -> {
            }
        }
    }
}
