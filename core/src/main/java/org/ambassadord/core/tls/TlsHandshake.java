package org.ambassadord.core.tls;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;

import org.ambassadord.core.relay.loop.Registration;
import org.ambassadord.core.relay.loop.RelayLoop;
import org.ambassadord.core.relay.socket.RelaySocket;

/**
 * Drives one TLS handshake over a connected, non-blocking socket on its event loop: wraps and
 * writes, reads and unwraps, and hands the engine's delegated tasks (signatures, key
 * exchange: the slow part) to the task threads, resuming on the loop when they are done. The
 * owner forwards the socket's readiness ({@link #onReady()}) and keeps the deadline; the
 * outcome is a {@link TlsSocket} or the failure, once. Loop thread only, but the tasks.
 */
public final class TlsHandshake {

    /** How a handshake ended; called once, on the loop. */
    public interface Outcome {
        /** @param socket the connection, ready to carry application bytes; null when {@code error} is set */
        void handshaken(TlsSocket socket, IOException error);
    }

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final RelayLoop loop;
    private final RelaySocket raw;
    private final Registration key;
    private final SSLEngine engine;
    private final Executor tasks;
    private final Outcome outcome;
    private final ByteBuffer netIn;
    private final ByteBuffer netOut;
    /** Application bytes that came with the last handshake flight (a server that speaks first). */
    private ByteBuffer early;
    private boolean runningTasks;
    private boolean over;

    TlsHandshake(RelayLoop loop, RelaySocket raw, Registration key, SSLEngine engine, Executor tasks, Outcome outcome) {
        this.loop = loop;
        this.raw = raw;
        this.key = key;
        this.engine = engine;
        this.tasks = tasks;
        this.outcome = outcome;
        this.netIn = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        this.netOut = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        this.netOut.flip();
        this.early = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
    }

    void start() {
        try {
            engine.beginHandshake();
        } catch (SSLException e) {
            finish(e);
            return;
        }
        step();
    }

    /** The socket is readable or writable. */
    public void onReady() {
        if (!over && !runningTasks) {
            step();
        }
    }

    /** Gives up (deadline, client gone): no outcome is reported after this. */
    public void abandon() {
        over = true;
    }

    private void step() {
        try {
            while (!over) {
                if (netOut.hasRemaining()) {
                    raw.write(netOut);
                    if (netOut.hasRemaining()) {
                        key.interestOps(SelectionKey.OP_WRITE);
                        return;
                    }
                }
                switch (engine.getHandshakeStatus()) {
                    case NEED_WRAP -> wrap();
                    case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                        if (!unwrap()) {
                            key.interestOps(SelectionKey.OP_READ);
                            return;
                        }
                    }
                    case NEED_TASK -> {
                        runTasks();
                        return;
                    }
                    case FINISHED, NOT_HANDSHAKING -> {
                        key.interestOps(0);
                        over = true;
                        netIn.flip();
                        early.flip();
                        outcome.handshaken(new TlsSocket(raw, engine, netIn, early), null);
                        return;
                    }
                }
            }
        } catch (IOException e) {
            finish(e);
        }
    }

    private void wrap() throws IOException {
        netOut.clear();
        SSLEngineResult result = engine.wrap(EMPTY, netOut);
        netOut.flip();
        if (result.getStatus() == SSLEngineResult.Status.CLOSED && !netOut.hasRemaining()) {
            throw new SSLException("the TLS engine closed during the handshake");
        }
    }

    /** @return false when more bytes must be read first and none are waiting */
    private boolean unwrap() throws IOException {
        netIn.flip();
        SSLEngineResult result;
        try {
            result = engine.unwrap(netIn, early);
        } finally {
            netIn.compact();
        }
        switch (result.getStatus()) {
            case BUFFER_UNDERFLOW -> {
                int read = raw.read(netIn);
                if (read < 0) {
                    throw new SSLException("the peer closed the connection during the TLS handshake");
                }
                return read > 0;
            }
            case BUFFER_OVERFLOW -> {
                // SSLEngine's contract: the engine names the room it needs, and the unwrap is tried again.
                int needed = engine.getSession().getApplicationBufferSize();
                if (needed <= early.remaining()) {
                    throw new SSLException("more application data during the handshake than a record holds");
                }
                early = ByteBuffer.allocate(early.position() + needed).put(early.flip());
                return true;
            }
            case CLOSED -> {
                if (!netOut.hasRemaining() && engine.getHandshakeStatus() != SSLEngineResult.HandshakeStatus.NEED_WRAP) {
                    throw new SSLException("the peer closed TLS during the handshake");
                }
                return true;
            }
            default -> {
                return true;
            }
        }
    }

    /** The engine's delegated tasks on the task threads; the handshake goes on on the loop. */
    private void runTasks() {
        runningTasks = true;
        key.interestOps(0);
        CompletableFuture<Void> done;
        try {
            done = CompletableFuture.runAsync(() -> {
                for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
                    task.run();
                }
            }, tasks);
        } catch (RejectedExecutionException e) {
            finish(new IOException("shutting down: no TLS handshakes now"));
            return;
        }
        loop.onComplete(done, (ignored, error) -> {
            runningTasks = false;
            if (error != null) {
                finish(new SSLException("a TLS handshake task failed: " + error.getMessage(), error));
            } else {
                step();
            }
        });
    }

    private void finish(IOException error) {
        if (over) {
            return;
        }
        over = true;
        outcome.handshaken(null, error);
    }
}
