package org.ambassadord.core.relay;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.ambassadord.spi.ClientConnection;
import org.tinylog.Logger;

/**
 * One relayed connection: the client (frontend) channel, the backend channel and a
 * {@link Flow} per direction. It lives on one {@link RelayLoop} and is touched by that loop's
 * thread only, which is why it has no locks; results from other threads (endpoint
 * resolution) are posted back to the loop.
 *
 * <p>States and transitions:
 * <pre>
 * RESOLVING  --endpoints--------------&gt; CONNECTING
 * RESOLVING  --none / error / timeout-&gt; CLOSED   (refused, logged)
 * CONNECTING --connected--------------&gt; RELAYING
 * CONNECTING --failed / timeout-------&gt; CONNECTING (next endpoint) or CLOSED (all failed, logged)
 * RELAYING   --both directions done---&gt; CLOSED
 * any        --I/O error, shutdown----&gt; CLOSED
 * </pre>
 * The client is not read before RELAYING: its bytes wait in the kernel, not in our memory.
 */
final class Relay implements SelectionHandler {

    private enum State { RESOLVING, CONNECTING, RELAYING, CLOSED }

    private final RelayLoop loop;
    private final RelayContext context;
    private final SocketChannel client;
    private final ClientConnection connection;
    private State state = State.RESOLVING;
    private SelectionKey clientKey;
    private SocketChannel backend;
    private SelectionKey backendKey;
    private LoopTimers.Timer deadline;
    /** From CONNECTING on: the endpoints in the order they are tried. */
    private EndpointAttempts attempts;
    private InetSocketAddress currentEndpoint;
    private Flow upstream;
    private Flow downstream;
    /** A half-close waits for the end of the loop's batch (see afterPump). */
    private boolean halfCloseQueued;
    /** Counters, durations, outcome and access log line; made at start. */
    private ConnectionReport report;
    /** From RELAYING on: the idle and half-close deadlines. */
    private IdleWatch idleWatch;
    /** While waiting for an answer or a connect: notices a client that leaves. */
    private ClientWatch clientWatch;

    Relay(RelayLoop loop, RelayContext context, SocketChannel client, ClientConnection connection) {
        this.loop = loop;
        this.context = context;
        this.client = client;
        this.connection = connection;
    }

    /** Registers the client and asks the backend for endpoints. Loop thread. */
    void start() {
        report = new ConnectionReport(loop.counters(), context, connection);
        try {
            clientKey = loop.register(client, 0, this);
        } catch (IOException e) {
            close();
            return;
        }
        CompletionStage<List<InetSocketAddress>> resolved;
        try {
            resolved = context.backend().resolve(connection);
        } catch (RuntimeException e) {
            refuse(RefusalReasons.of(e), Channels.reason(e));
            return;
        }
        // An answer still to come gets a deadline, set before the answer can arrive.
        if (!(resolved instanceof CompletableFuture<?> future && future.isDone())) {
            deadline = loop.timers().schedule(context.settings().resolveTimeout().toNanos(),
                    () -> refuse(RefusalReason.RESOLVE_TIMEOUT, "the backend named no endpoint within "
                            + context.settings().resolveTimeout().toMillis() + " ms"));
            watchClient();
        }
        loop.onComplete(resolved, this::onResolved);
    }

    private void onResolved(List<InetSocketAddress> found, Throwable error) {
        if (state != State.RESOLVING) {
            return;
        }
        cancelDeadline();
        report.resolved();
        if (error != null) {
            refuse(RefusalReasons.of(error), Channels.reason(error));
        } else if (found == null || found.isEmpty()) {
            refuse(RefusalReason.NO_ENDPOINTS, "the backend has no endpoints");
        } else {
            List<InetSocketAddress> ordered = context.backend().ordersEndpoints()
                    ? found
                    : context.settings().balance().arrange(found, context.balanceTurn());
            attempts = new EndpointAttempts(context.health().usable(ordered, loop.batchNanos()),
                    context.settings().limits().maxAttempts());
            state = State.CONNECTING;
            connectNext();
        }
    }

    /** Tries endpoints until one connects at once or is pending; all failed closes the client. */
    private void connectNext() {
        while (attempts.hasNext()) {
            currentEndpoint = attempts.next();
            try {
                // The endpoint's own family: a dual-stack socket would cost an IPV6_V6ONLY call.
                backend = currentEndpoint.getAddress() instanceof Inet4Address
                        ? SocketChannel.open(StandardProtocolFamily.INET)
                        : SocketChannel.open();
                backend.configureBlocking(false);
                backend.setOption(StandardSocketOptions.TCP_NODELAY, true);
                TcpKeepalive.enable(backend, context.settings().limits().tcpKeepalive());
                boolean connected = backend.connect(currentEndpoint) || finishedAtOnce();
                backendKey = loop.register(backend, connected ? 0 : SelectionKey.OP_CONNECT, this);
                if (connected) {
                    onConnected();
                } else {
                    watchClient();
                    deadline = loop.timers().schedule(context.settings().connectTimeout().toNanos(),
                            () -> onConnectFailed(new ConnectException(
                                    "timed out after " + context.settings().connectTimeout().toMillis() + " ms")));
                }
                return;
            } catch (IOException | RuntimeException e) {
                recordFailure(e);
            }
        }
        report.failed(attempts.summary());
        context.refusals().report("failed", connection.client().getAddress(), Addresses.format(connection.client()),
                Addresses.format(connection.local()), attempts.summary());
        close();
    }

    /** Finishes a pending connect at once where that usually works (see ConnectGuess). */
    private boolean finishedAtOnce() throws IOException {
        ConnectGuess guess = loop.connectGuess();
        if (!guess.worthTrying()) {
            return false;
        }
        boolean connected = backend.finishConnect();
        guess.record(connected);
        return connected;
    }

    private void onConnectFailed(IOException error) {
        if (state != State.CONNECTING) {
            return;
        }
        recordFailure(error);
        connectNext();
    }

    private void recordFailure(Exception error) {
        attempts.failed(currentEndpoint, Channels.reason(error));
        context.connectFailures().failed(currentEndpoint);
        context.health().failed(currentEndpoint, System.nanoTime());
        if (Logger.isDebugEnabled()) {
            Logger.debug("connect {} -> {} failed: {}", Addresses.format(connection.client()),
                    Addresses.format(currentEndpoint), Channels.reason(error));
        }
        cancelDeadline();
        Channels.closeQuietly(backend);
        backend = null;
        backendKey = null;
    }

    private void onConnected() {
        cancelDeadline();
        report.connected();
        context.health().succeeded(currentEndpoint);
        Transfer transfer = loop.transfer();
        Flow up;
        Flow down;
        try {
            up = transfer.flow(client, backend);
            down = transfer.flow(backend, client);
        } catch (IOException e) {
            Logger.warn("closing {} -> {}: {}", Addresses.format(connection.client()), Addresses.format(currentEndpoint), Channels.reason(e));
            close();
            return;
        }
        state = State.RELAYING;
        if (clientWatch != null) {
            clientWatch.forget();
        }
        upstream = up;
        downstream = down;
        RelayLimits limits = context.settings().limits();
        idleWatch = new IdleWatch(loop, limits.idleTimeout().toNanos(), limits.halfCloseTimeout().toNanos(), this::timedOut);
        idleWatch.start();
        if (Logger.isDebugEnabled()) {
            Logger.debug("relaying {} -> {} via {}", Addresses.format(connection.client()),
                    Addresses.format(connection.local()), Addresses.format(currentEndpoint));
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

    private void watchClient() {
        if (clientWatch == null) {
            clientWatch = new ClientWatch(client);
        }
        clientWatch.start(clientKey);
    }

    /** The client became readable before relaying: gone (give the attempt up) or speaking. */
    private void onClientWhileWaiting() {
        String gone = clientWatch.onReadable();
        if (gone != null) {
            report.ended(gone + " while " + (state == State.RESOLVING ? "resolving" : "connecting"));
            close();
        }
    }

    @Override
    public void onReady(SelectionKey key, int readyOps) {
        if (key == clientKey && state != State.RELAYING && clientWatch != null && clientWatch.isWatching()) {
            onClientWhileWaiting();
            return;
        }
        try {
            if (state == State.CONNECTING && key == backendKey && (readyOps & SelectionKey.OP_CONNECT) != 0) {
                finishConnect();
                return;
            }
            if (state != State.RELAYING) {
                return;
            }
            idleWatch.activity();
            // Writes first: they may free a buffer that the reads can then use.
            boolean writable = (readyOps & SelectionKey.OP_WRITE) != 0;
            boolean readable = (readyOps & SelectionKey.OP_READ) != 0;
            Flow towardsKey = key == clientKey ? downstream : upstream;
            Flow fromKey = key == clientKey ? upstream : downstream;
            if (writable) {
                towardsKey.pump();
            }
            if (readable) {
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
        }
        if ((upstream.ended() || downstream.ended()) && !halfCloseQueued) {
            halfCloseQueued = true;
            loop.afterBatch(this::halfClose);
        }
        updateInterest();
    }

    private void halfClose() {
        halfCloseQueued = false;
        if (state != State.RELAYING) {
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

    private void timedOut(String why) {
        report.ended(why);
        if (Logger.isDebugEnabled()) {
            Logger.debug("closing {} -> {}: {}", Addresses.format(connection.client()), Addresses.format(currentEndpoint), why);
        }
        close();
    }

    private void closeAfterError(IOException e) {
        report.ended("error: " + Channels.reason(e));
        if (Logger.isDebugEnabled()) {
            Logger.debug("closing {} -> {}: {}", Addresses.format(connection.client()),
                    Addresses.format(currentEndpoint), Channels.reason(e));
        }
        close();
    }

    private void finishConnect() {
        try {
            if (backend.finishConnect()) {
                onConnected();
            }
        } catch (IOException e) {
            onConnectFailed(e);
        }
    }

    /** Derives both keys' interest from the flows: the one place interest ops are set. */
    private void updateInterest() {
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

    private void refuse(RefusalReason reason, String why) {
        if (state != State.RESOLVING) {
            return;
        }
        report.refused(reason, why);
        context.refusals().report("refused", connection.client().getAddress(), Addresses.format(connection.client()),
                Addresses.format(connection.local()), why);
        close();
    }

    @Override
    public void close() {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        cancelDeadline();
        if (idleWatch != null) {
            idleWatch.cancel();
        }
        long up = 0;
        long down = 0;
        if (upstream != null) {
            up = upstream.bytesWritten();
            down = downstream.bytesWritten();
            upstream.release();
            downstream.release();
        }
        loop.closeDeregistered(clientKey, client);
        loop.closeDeregistered(backendKey, backend);
        if (report != null) {
            report.closed(up, down, upstream == null ? null : Addresses.format(currentEndpoint),
                    attempts == null ? 0 : attempts.tried());
        }
    }

    private void cancelDeadline() {
        if (deadline != null) {
            deadline.cancel();
            deadline = null;
        }
    }
}
