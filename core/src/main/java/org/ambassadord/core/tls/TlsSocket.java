package org.ambassadord.core.tls;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;

import org.ambassadord.core.relay.socket.RelaySocket;

/**
 * A socket after its TLS handshake, as the relay's flows use any socket: {@link #read} gives
 * plaintext, {@link #write} takes plaintext, {@link #shutdownOutput()} sends
 * {@code close_notify} and then FIN. Encrypted bytes the socket could not take yet are held
 * here ({@link #hasPendingOutput()}: the flow then waits for writability and stops reading),
 * and records read but not yet handed out stay here too ({@link #hasBufferedInput()}: the
 * relay pumps again without waiting for readiness). Its three buffers are made when first
 * needed; the write and plaintext ones are kept while the connection lives, the read one is
 * let go whenever the socket is drained, so an idle connection holds no buffer and a busy one
 * allocates per burst of records, not per record.
 * Loop thread only.
 */
public final class TlsSocket implements RelaySocket {

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final RelaySocket raw;
    private final SSLEngine engine;
    /** Bytes read from the socket, not yet unwrapped; write mode. Null until first needed. */
    private ByteBuffer netIn;
    /** Plaintext unwrapped, not yet handed out; read mode, a view of {@link #appBuffer}. Null when empty. */
    private ByteBuffer appIn;
    private ByteBuffer appBuffer;
    /** Encrypted bytes not yet written; read mode, a view of {@link #outBuffer}. Null when empty. */
    private ByteBuffer netOut;
    private ByteBuffer outBuffer;
    /** Whether {@code netIn} may hold a whole record (false after an underflow, until more is read). */
    private boolean netInMayHoldRecord;
    private boolean rawEnded;
    private boolean inboundClosed;
    /** The end of stream was returned by {@link #read}; before that, a pending end is buffered input. */
    private boolean endReported;
    /** {@code close_notify} is wrapped; FIN follows once {@code netOut} is written. */
    private boolean finAfterFlush;

    /**
     * @param leftover bytes read during the handshake beyond it (read mode)
     * @param early    application bytes unwrapped during the handshake (read mode)
     */
    TlsSocket(RelaySocket raw, SSLEngine engine, ByteBuffer leftover, ByteBuffer early) {
        this.raw = raw;
        this.engine = engine;
        if (leftover.hasRemaining()) {
            netIn = ByteBuffer.allocate(batchSize());
            netIn.put(leftover);
            netInMayHoldRecord = true;
        }
        if (early.hasRemaining()) {
            appIn = ByteBuffer.allocate(early.remaining()).put(early).flip();
        }
    }

    /** What the handshake said about the peer, for the access log, {@code /status} and PROXY v2. */
    public TlsPeer peer() {
        return TlsPeer.of(engine.getSession());
    }

    @Override
    public int read(ByteBuffer into) throws IOException {
        int total = drainAppIn(into);
        while (into.hasRemaining() && appIn == null) {
            if (netInMayHoldRecord && netIn != null && netIn.position() > 0) {
                int produced = unwrapInto(into);
                if (produced < 0) {
                    return total > 0 ? total : ended();
                }
                total += produced;
                continue;
            }
            if (inboundClosed || rawEnded) {
                return total > 0 ? total : ended();
            }
            if (netIn == null) {
                netIn = ByteBuffer.allocate(batchSize());
            }
            int read = raw.read(netIn);
            if (read <= 0) {
                // A peer that closes without close_notify ends the stream as TCP would: a relay
                // cannot tell a truncation from a client that just went away.
                rawEnded = read < 0;
                if (netIn.position() == 0) {
                    // Drained: an idle connection holds no read buffer (one allocation per burst, not per record).
                    netIn = null;
                }
                return total > 0 || read == 0 ? total : ended();
            }
            netInMayHoldRecord = true;
        }
        return total;
    }

    private int ended() {
        endReported = true;
        return -1;
    }

    /** One unwrap from {@code netIn}: plaintext into {@code into} (or {@code appIn} when it is small); -1 at close_notify. */
    private int unwrapInto(ByteBuffer into) throws IOException {
        int appSize = engine.getSession().getApplicationBufferSize();
        if (into.remaining() < appSize && (appBuffer == null || appBuffer.capacity() < appSize)) {
            appBuffer = ByteBuffer.allocate(appSize);
        }
        ByteBuffer target = into.remaining() >= appSize ? into : appBuffer.clear();
        netIn.flip();
        SSLEngineResult result;
        try {
            result = engine.unwrap(netIn, target);
        } finally {
            netIn.compact();
        }
        afterEngine(result.getHandshakeStatus());
        switch (result.getStatus()) {
            case BUFFER_UNDERFLOW -> {
                netInMayHoldRecord = false;
                return 0;
            }
            case BUFFER_OVERFLOW -> {
                // An engine may learn only from the record that its plaintext is larger than it said;
                // it then says so (SSLEngine's contract), and the next try has the room.
                if (engine.getSession().getApplicationBufferSize() <= target.remaining()) {
                    throw new SSLException("a TLS record larger than the session allows");
                }
                return 0;
            }
            case CLOSED -> {
                // An engine may say CLOSED for an unwrap once our own close_notify is out while the
                // peer's bytes still come (TLS 1.3 half-close): only its inbound state tells the peer's end.
                if (engine.isInboundDone()) {
                    inboundClosed = true;
                    // The last records' bytes may come with the close_notify that followed them.
                    if (result.bytesProduced() == 0) {
                        return -1;
                    }
                }
            }
            default -> {
            }
        }
        if (target == into) {
            return result.bytesProduced();
        }
        if (result.bytesProduced() == 0) {
            return 0;
        }
        appIn = target.flip();
        return drainAppIn(into);
    }

    private int drainAppIn(ByteBuffer into) {
        if (appIn == null) {
            return 0;
        }
        int n = Math.min(appIn.remaining(), into.remaining());
        into.put(into.position(), appIn, appIn.position(), n);
        into.position(into.position() + n);
        appIn.position(appIn.position() + n);
        if (!appIn.hasRemaining()) {
            appIn = null;
        }
        return n;
    }

    @Override
    public int write(ByteBuffer from) throws IOException {
        if (!flush()) {
            return 0;
        }
        int consumed = 0;
        while (from.hasRemaining()) {
            // As many records as the buffer holds, then one write for all of them.
            ByteBuffer out = outBuffer().clear();
            while (from.hasRemaining() && out.remaining() >= packetSize()) {
                SSLEngineResult result = engine.wrap(from, out);
                if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                    throw new SSLException("TLS to the peer is closed");
                }
                if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                    throw new SSLException("a TLS record larger than the session's packet size");
                }
                consumed += result.bytesConsumed();
                if (result.getHandshakeStatus() != SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING) {
                    netOut = out.flip();
                    afterEngine(result.getHandshakeStatus());
                    out = null;
                    break;
                }
            }
            if (out != null) {
                netOut = out.flip();
            }
            if (!flush()) {
                break;
            }
        }
        return consumed;
    }

    /**
     * Writes what is held; then, once {@code close_notify} has gone, the FIN.
     *
     * @return true when nothing is held any more
     */
    @Override
    public boolean flush() throws IOException {
        if (netOut != null) {
            raw.write(netOut);
            if (netOut.hasRemaining()) {
                return false;
            }
            netOut = null;
        }
        if (finAfterFlush) {
            finAfterFlush = false;
            raw.shutdownOutput();
        }
        return true;
    }

    @Override
    public boolean hasPendingOutput() {
        return netOut != null || finAfterFlush;
    }

    /**
     * Plaintext or whole records held, or an end of stream (close_notify, often in the same
     * segment as the last record) that {@link #read} has seen but not yet returned: no
     * readiness event will come for any of them.
     */
    @Override
    public boolean hasBufferedInput() {
        return appIn != null || (netInMayHoldRecord && netIn != null && netIn.position() > 0)
                || ((inboundClosed || rawEnded) && !endReported);
    }

    /** Post-handshake messages (TLS 1.3 key updates, tickets): their tasks are small and run here. */
    private void afterEngine(SSLEngineResult.HandshakeStatus status) throws IOException {
        if (status == SSLEngineResult.HandshakeStatus.NEED_TASK) {
            for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
                task.run();
            }
            status = engine.getHandshakeStatus();
        }
        if (status == SSLEngineResult.HandshakeStatus.NEED_WRAP && netOut == null) {
            netOut = outBuffer().clear();
            engine.wrap(EMPTY, netOut);
            netOut.flip();
            flush();
        }
    }

    /** {@code close_notify}, then FIN once it is written: the other direction keeps flowing (TLS 1.3). */
    @Override
    public void shutdownOutput() throws IOException {
        engine.closeOutbound();
        ByteBuffer notify = ByteBuffer.allocate(packetSize());
        engine.wrap(EMPTY, notify);
        notify.flip();
        if (netOut == null) {
            netOut = notify;
        } else {
            ByteBuffer both = ByteBuffer.allocate(netOut.remaining() + notify.remaining());
            netOut = both.put(netOut).put(notify).flip();
        }
        finAfterFlush = true;
        flush();
    }

    private ByteBuffer outBuffer() {
        if (outBuffer == null) {
            outBuffer = ByteBuffer.allocate(batchSize());
        }
        return outBuffer;
    }

    /** Four records: a read or a write of this many costs one system call for 64 KiB of plaintext. */
    private int batchSize() {
        return 4 * packetSize();
    }

    private int packetSize() {
        return engine.getSession().getPacketBufferSize();
    }

    @Override
    public boolean connect(InetSocketAddress endpoint) {
        throw new UnsupportedOperationException("a TLS socket is made from a connected one");
    }

    @Override
    public boolean finishConnect() {
        return true;
    }

    @Override
    public int fd() {
        return raw.fd();
    }

    @Override
    public void closeQuietly() {
        engine.closeOutbound();
        raw.closeQuietly();
    }
}
