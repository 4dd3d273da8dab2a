package org.ambassadord.core.relay;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;

import org.ambassadord.spi.ClientConnection;
import org.tinylog.Logger;
import org.ambassadord.core.relay.loop.Registration;
import org.ambassadord.core.relay.loop.RelayLoop;
import org.ambassadord.core.relay.loop.SelectionHandler;
import org.ambassadord.core.relay.socket.Addresses;
import org.ambassadord.core.relay.socket.Channels;
import org.ambassadord.core.relay.socket.RelaySocket;
import org.ambassadord.core.relay.transfer.Flow;

/**
 * A connected client and backend: moves bytes both ways with a {@link Flow} per direction,
 * relays half-closes, and keeps the idle and half-close deadlines. {@link Relay} resolves and
 * connects, then hands both selection keys to this (as Netty's proxy example splits its
 * frontend and backend handlers). Loop thread only, hence no locks.
 *
 * <p>Ends when both directions ended ({@code closed}), on an I/O error (a reset by either
 * side), on a deadline, or when the loop shuts down.
 */
final class RelayedPair implements SelectionHandler {

    private final RelayLoop loop;
    private final ClientConnection connection;
    private final ConnectionReport report;
    private final RelaySocket client;
    private final Registration clientKey;
    private final RelaySocket backend;
    private final Registration backendKey;
    private final InetSocketAddress endpoint;
    private final int attempts;
    private final Flow upstream;
    private final Flow downstream;
    private final IdleWatch idleWatch;
    /** A half-close waits for the end of the loop's batch (see afterPump). */
    private boolean halfCloseQueued;
    private boolean closed;

    /**
     * @param attempts endpoints tried before this one connected, this one included
     */
    RelayedPair(RelayLoop loop, RelayContext context, ClientConnection connection, ConnectionReport report,
                RelaySocket client, Registration clientKey, RelaySocket backend, Registration backendKey,
                InetSocketAddress endpoint, int attempts, Flow upstream, Flow downstream) {
        this.loop = loop;
        this.connection = connection;
        this.report = report;
        this.client = client;
        this.clientKey = clientKey;
        this.backend = backend;
        this.backendKey = backendKey;
        this.endpoint = endpoint;
        this.attempts = attempts;
        this.upstream = upstream;
        this.downstream = downstream;
        RelayLimits limits = context.settings().limits();
        // A flow that waited for a buffer wakes from another connection's release: it only
        // needs its read interest back.
        upstream.resumeWith(this::updateInterest);
        downstream.resumeWith(this::updateInterest);
        this.idleWatch = new IdleWatch(loop, limits.idleTimeout().toNanos(), limits.halfCloseTimeout().toNanos(),
                this::timedOut);
    }

    /** Takes both keys over and moves what the client already sent. */
    void start() {
        clientKey.attach(this);
        backendKey.attach(this);
        idleWatch.start();
        if (Logger.isDebugEnabled()) {
            Logger.debug("relaying {} -> {} via {}", Addresses.format(connection.client()),
                    Addresses.format(connection.local()), Addresses.format(endpoint));
        }
        try {
            // Most clients speak first, and their first bytes are already here: move them now
            // rather than after a round through the selector. If there are none, that costs
            // one read.
            upstream.pump();
            afterPump();
        } catch (IOException e) {
            closeAfterError(e);
        }
    }

    @Override
    public void onReady(Registration key, int readyOps) {
        if (closed) {
            return;
        }
        idleWatch.activity();
        try {
            // Writes first: they may free a buffer that the reads can then use.
            Flow towardsKey = key == clientKey ? downstream : upstream;
            Flow fromKey = key == clientKey ? upstream : downstream;
            if ((readyOps & SelectionKey.OP_WRITE) != 0) {
                towardsKey.pump();
            }
            if ((readyOps & SelectionKey.OP_READ) != 0) {
                fromKey.pump();
            }
            afterPump();
        } catch (IOException e) {
            closeAfterError(e);
        }
    }

    /**
     * Closes when both sources have ended (close(2) sends each side its FIN, no half-close
     * needed first); when one has, its sink is half-closed at the end of the loop's batch of
     * ready keys, because the other side's FIN often arrives in the same batch, and then the
     * shutdown call is saved.
     */
    private void afterPump() {
        report.bytes(upstream.bytesWritten(), downstream.bytesWritten());
        if (upstream.ended() && downstream.ended()) {
            report.ended("closed");
            close();
            return;
        }
        if (upstream.ended() || downstream.ended()) {
            idleWatch.halfClosed();
            if (!halfCloseQueued) {
                halfCloseQueued = true;
                loop.afterBatch(this::halfClose);
            }
        }
        updateInterest();
        if (holdsBufferedInput()) {
            loop.afterBatch(this::pumpBuffered);
        }
    }

    /** A TLS socket read a record it has not handed out: no readiness event will say so. */
    private boolean holdsBufferedInput() {
        return (upstream.wantsRead() && client.hasBufferedInput()) || (downstream.wantsRead() && backend.hasBufferedInput());
    }

    private void pumpBuffered() {
        if (closed || !holdsBufferedInput()) {
            return;
        }
        try {
            if (upstream.wantsRead() && client.hasBufferedInput()) {
                upstream.pump();
            }
            if (downstream.wantsRead() && backend.hasBufferedInput()) {
                downstream.pump();
            }
            afterPump();
        } catch (IOException e) {
            closeAfterError(e);
        }
    }

    private void halfClose() {
        halfCloseQueued = false;
        if (closed) {
            return;
        }
        try {
            if (upstream.ended()) {
                upstream.shutDownSink();
            }
            if (downstream.ended()) {
                downstream.shutDownSink();
            }
        } catch (IOException e) {
            closeAfterError(e);
        }
    }

    /** Derives both keys' interest from the flows: the one place interest ops are set. */
    private void updateInterest() {
        if (closed) {
            return;
        }
        int clientOps = (upstream.wantsRead() ? SelectionKey.OP_READ : 0)
                | (downstream.wantsWrite() ? SelectionKey.OP_WRITE : 0);
        int backendOps = (downstream.wantsRead() ? SelectionKey.OP_READ : 0)
                | (upstream.wantsWrite() ? SelectionKey.OP_WRITE : 0);
        if (clientKey.isValid() && clientKey.interestOps() != clientOps) {
            clientKey.interestOps(clientOps);
        }
        if (backendKey.isValid() && backendKey.interestOps() != backendOps) {
            backendKey.interestOps(backendOps);
        }
    }

    private void timedOut(String why) {
        report.ended(why);
        if (Logger.isDebugEnabled()) {
            Logger.debug("closing {} -> {}: {}", Addresses.format(connection.client()), Addresses.format(endpoint), why);
        }
        close();
    }

    private void closeAfterError(IOException e) {
        report.ended("error: " + Channels.reason(e));
        if (Logger.isDebugEnabled()) {
            Logger.debug("closing {} -> {}: {}", Addresses.format(connection.client()),
                    Addresses.format(endpoint), Channels.reason(e));
        }
        close();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        idleWatch.cancel();
        long up = upstream.bytesWritten();
        long down = downstream.bytesWritten();
        upstream.release();
        downstream.release();
        loop.closeDeregistered(clientKey, client);
        loop.closeDeregistered(backendKey, backend);
        report.closed(up, down, Addresses.format(endpoint), attempts);
    }
}
