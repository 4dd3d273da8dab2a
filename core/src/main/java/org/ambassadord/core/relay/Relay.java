package org.ambassadord.core.relay;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import javax.net.ssl.SSLException;

import org.ambassadord.core.fairness.ClientTable;
import org.ambassadord.core.fairness.EndpointQueue;
import org.ambassadord.core.fairness.FairnessSettings;
import org.ambassadord.core.relay.endpoint.EndpointAttempts;
import org.ambassadord.core.relay.loop.LoopTimers;
import org.ambassadord.core.relay.loop.Registration;
import org.ambassadord.core.relay.loop.RelayLoop;
import org.ambassadord.core.relay.loop.SelectionHandler;
import org.ambassadord.core.relay.socket.Addresses;
import org.ambassadord.core.relay.socket.Channels;
import org.ambassadord.core.relay.socket.RelaySocket;
import org.ambassadord.core.relay.stats.RefusalReason;
import org.ambassadord.core.relay.stats.RefusalReasons;
import org.ambassadord.core.relay.transfer.Flow;
import org.ambassadord.core.relay.transfer.Transfer;
import org.ambassadord.core.tls.ServerTls;
import org.ambassadord.core.tls.TlsFailureReason;
import org.ambassadord.core.tls.TlsHandshake;
import org.ambassadord.core.tls.TlsPeer;
import org.ambassadord.core.tls.TlsSocket;
import org.ambassadord.core.tls.UpstreamTls;
import org.ambassadord.spi.ClientConnection;
import org.tinylog.Logger;

/**
 * One accepted connection until its backend is connected: asks the backend for endpoints,
 * connects to them in turn (skipping ejected ones, within {@code --max-attempts}), and hands
 * the connected pair to a {@link RelayedPair}, which moves the bytes. It lives on one
 * {@link RelayLoop} and is touched by that loop's thread only, which is why it has no locks;
 * results from other threads (endpoint resolution) are posted back to the loop.
 *
 * <p>States and transitions:
 * <pre>
 * ACCEPTING_TLS --handshaken---------&gt; RESOLVING   (--tls-cert: the client's TLS first)
 * ACCEPTING_TLS --failed / timeout---&gt; CLOSED      (logged, counted)
 * RESOLVING  --endpoints--------------&gt; CONNECTING
 * RESOLVING  --none / error / timeout-&gt; CLOSED   (refused, logged)
 * CONNECTING --every endpoint at its cap-&gt; QUEUED (--max-connections-per-endpoint)
 * QUEUED     --a slot freed-----------&gt; CONNECTING (or QUEUED again, first in line)
 * QUEUED     --queue full / timeout---&gt; CLOSED   (refused, logged)
 * CONNECTING --connected--------------&gt; RELAYING (both keys handed to a {@link RelayedPair})
 * CONNECTING --connected, TLS on------&gt; HANDSHAKING
 * HANDSHAKING --handshaken------------&gt; RELAYING
 * CONNECTING, HANDSHAKING --failed / timeout--&gt; CONNECTING (next endpoint) or CLOSED (all failed, logged)
 * RESOLVING, QUEUED, CONNECTING, HANDSHAKING --client left-&gt; CLOSED
 * any before RELAYING --shutdown------&gt; CLOSED
 * </pre>
 * The client is not read before RELAYING: its bytes wait in the kernel, not in our memory.
 */
final class Relay implements SelectionHandler {

    private enum State { ACCEPTING_TLS, RESOLVING, QUEUED, CONNECTING, HANDSHAKING, RELAYING, CLOSED }

    private final RelayLoop loop;
    /** The loop's pools, which the relayed pair's flows draw from. */
    private final Transfer transfer;
    private final RelayContext context;
    /** The accepted socket; after the client's TLS handshake, the {@link TlsSocket} over it. */
    private RelaySocket client;
    /** What the client's TLS handshake said (its verified certificate), for PROXY v2 and the logs; empty without TLS. */
    private Optional<TlsPeer> clientPeer = Optional.empty();
    private final ClientConnection connection;
    private State state = State.RESOLVING;
    private Registration clientKey;
    private RelaySocket backend;
    private Registration backendKey;
    private LoopTimers.Timer deadline;
    /** While ACCEPTING_TLS (the client's) or HANDSHAKING (the endpoint's, {@code --upstream-tls}). */
    private TlsHandshake handshake;
    /** From CONNECTING on: the endpoints in the order they are tried. */
    private EndpointAttempts attempts;
    private InetSocketAddress currentEndpoint;
    /** Counters, durations, outcome and access log line. */
    private final ConnectionReport report;
    /** While waiting for an answer or a connect: notices a client that leaves. */
    private final ClientWatch clientWatch;
    /** The endpoints the backend named, without our own listeners: tried again after a wait in the queue. */
    private List<InetSocketAddress> candidates;
    /** While QUEUED: this connection's place in the wait queue. */
    private EndpointQueue.Waiter waiter;

    /** @param admission the client's admission ({@code --max-connections-per-client}), released when the connection closes */
    Relay(LoopWorker worker, RelayContext context, RelaySocket client, ClientConnection connection,
          ClientTable.Admission admission) {
        this.loop = worker.loop();
        this.transfer = worker.transfer();
        this.context = context;
        this.client = client;
        this.connection = connection;
        this.clientWatch = new ClientWatch(client);
        this.report = new ConnectionReport(loop.counters(), context, connection, admission);
    }

    /** Registers the client, takes its TLS handshake if the listener has TLS, and asks the backend for endpoints. Loop thread. */
    void start() {
        try {
            clientKey = loop.register(client, 0, this);
        } catch (IOException e) {
            close();
            return;
        }
        Optional<ServerTls> tls = context.settings().tls().listener();
        if (tls.isEmpty()) {
            resolve();
            return;
        }
        state = State.ACCEPTING_TLS;
        deadline = loop.timers().schedule(tls.get().handshakeTimeout().toNanos(),
                () -> onClientHandshaken(null, new SSLException("TLS handshake timed out after "
                        + tls.get().handshakeTimeout().toMillis() + " ms")));
        handshake = tls.get().handshake(loop, client, clientKey, this::onClientHandshaken);
    }

    private void onClientHandshaken(TlsSocket socket, IOException error) {
        if (state != State.ACCEPTING_TLS) {
            return;
        }
        handshake = null;
        cancelDeadline();
        ServerTls tls = context.settings().tls().listener().orElseThrow();
        if (error != null) {
            String why = "TLS handshake failed (" + tls.counters().failed(error).label() + "): " + Channels.reason(error);
            report.ended(why);
            context.refusals().report("refused", connection.client().getAddress(), Addresses.format(connection.client()),
                    Addresses.format(connection.local()), why);
            close();
            return;
        }
        tls.counters().succeeded();
        client = socket;
        clientPeer = Optional.of(socket.peer());
        report.tlsClient(clientPeer.get().identity());
        tls.clients().seen(clientPeer.get());
        state = State.RESOLVING;
        resolve();
    }

    private void resolve() {
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
            clientWatch.start(clientKey);
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
            List<InetSocketAddress> notSelf = context.self().without(found);
            if (notSelf.isEmpty()) {
                refuse(RefusalReason.LOOP, "every endpoint " + found.stream().map(Addresses::format).toList()
                        + " is this ambassador's own listener: relaying there would loop");
                return;
            }
            candidates = notSelf;
            if (context.fairness().queue().waiting() > 0 && context.settings().fairness().maxConnectionsPerEndpoint() > 0) {
                enterQueue(); // others wait for a slot already: first come, first served
                return;
            }
            connectTo(candidates);
        }
    }

    private void connectTo(List<InetSocketAddress> endpoints) {
        attempts = context.attemptsFor(endpoints, loop.batchNanos());
        state = State.CONNECTING;
        connectNext();
    }

    /**
     * Every endpoint is at {@code --max-connections-per-endpoint}: wait, first in first out, for
     * a connection to one of them to close, up to {@code --queue-timeout}; the client's bytes
     * wait in the kernel meanwhile.
     */
    private void enterQueue() {
        state = State.QUEUED;
        FairnessSettings rules = context.settings().fairness();
        if (rules.queueTimeout().isZero()) {
            refuse(RefusalReason.QUEUE_TIMEOUT, "every endpoint is at --max-connections-per-endpoint "
                    + rules.maxConnectionsPerEndpoint() + " and --queue-timeout is 0");
            return;
        }
        waiter = () -> loop.execute(this::retryFromQueue);
        if (!context.fairness().queue().enqueue(waiter)) {
            waiter = null;
            refuse(RefusalReason.QUEUE_FULL, "every endpoint is at --max-connections-per-endpoint "
                    + rules.maxConnectionsPerEndpoint() + " and " + context.fairness().queue().capacity() + " connections wait already");
            return;
        }
        if (anyBelowCap()) {
            // A slot freed between the connect and joining the line, with nobody to wake: take it.
            leaveQueue();
            connectTo(candidates);
            return;
        }
        clientWatch.start(clientKey);
        deadline = loop.timers().schedule(rules.queueTimeout().toNanos(), () -> {
            if (state == State.QUEUED) {
                leaveQueue();
                refuse(RefusalReason.QUEUE_TIMEOUT, "every endpoint stayed at --max-connections-per-endpoint "
                        + rules.maxConnectionsPerEndpoint() + " for --queue-timeout " + rules.queueTimeout().toMillis() + " ms");
            }
        });
    }

    /** Woken: a slot freed. Still all full (a newcomer was quicker)? Back to the head of the line. Loop thread. */
    private void retryFromQueue() {
        if (state != State.QUEUED) {
            return;
        }
        attempts = context.attemptsFor(candidates, loop.batchNanos());
        if (!anyBelowCap()) {
            context.fairness().queue().requeueFirst(waiter);
            return;
        }
        waiter = null;
        cancelDeadline();
        state = State.CONNECTING;
        connectNext();
    }

    private boolean anyBelowCap() {
        return !context.fairness().belowCap(candidates).isEmpty();
    }

    private void leaveQueue() {
        if (waiter != null) {
            context.fairness().queue().remove(waiter);
            waiter = null;
        }
    }

    /**
     * Tries endpoints until one connects at once or is pending; all failed, or the overall
     * connect deadline passed, closes the client.
     */
    private void connectNext() {
        while (attempts.hasNext()) {
            currentEndpoint = attempts.next();
            if (!context.fairness().acquire(currentEndpoint)) {
                attempts.skippedAtCap(currentEndpoint, context.settings().fairness().maxConnectionsPerEndpoint());
                continue;
            }
            report.holding(currentEndpoint);
            try {
                backend = loop.io().open(currentEndpoint, context.settings().limits().tcpKeepalive());
                boolean connected = backend.connect(currentEndpoint) || loop.connectGuess().finishAtOnce(backend);
                backendKey = loop.register(backend, connected ? 0 : SelectionKey.OP_CONNECT, this);
                if (connected) {
                    onConnected();
                } else {
                    clientWatch.start(clientKey);
                    deadline = loop.timers().schedule(context.settings().connectTimeout().toNanos(),
                            () -> onConnectFailed(new ConnectException(
                                    "timed out after " + context.settings().connectTimeout().toMillis() + " ms")));
                }
                return;
            } catch (IOException | RuntimeException e) {
                recordFailure(e);
            }
        }
        if (attempts.allAtCap()) {
            enterQueue();
            return;
        }
        report.failed(attempts.summary());
        reportRefusal("failed", attempts.summary());
        close();
    }

    private void onConnectFailed(IOException error) {
        if (state != State.CONNECTING && state != State.HANDSHAKING) {
            return;
        }
        if (handshake != null) {
            handshake.abandon();
            handshake = null;
        }
        state = State.CONNECTING;
        recordFailure(error);
        connectNext();
    }

    private void recordFailure(Exception error) {
        attempts.failed(currentEndpoint, Channels.reason(error));
        context.connectFailed(connection.client(), currentEndpoint, error);
        report.released();
        cancelDeadline();
        loop.closeDeregistered(backendKey, backend);
        backend = null;
        backendKey = null;
    }

    /** Connected: the PROXY header goes first (in the clear, as HAProxy sends it), then TLS if on, then the bytes. */
    private void onConnected() {
        cancelDeadline();
        try {
            context.settings().proxyProtocol().send(backend, connection, clientPeer);
        } catch (IOException e) {
            Logger.warn("closing {} -> {}: {}", Addresses.format(connection.client()), Addresses.format(currentEndpoint), Channels.reason(e));
            close();
            return;
        }
        Optional<UpstreamTls> tls = context.settings().tls().upstream();
        // Omni mode: the container says whether its backend speaks TLS; otherwise the operator does.
        Optional<Boolean> asked = context.backend().upstreamTls(connection);
        if (!asked.orElse(tls.isPresent())) {
            startRelaying(backend, clientPeer.isPresent());
            return;
        }
        if (tls.isEmpty()) {
            String why = "the client asked for TLS to its backend, but this ambassador runs without --upstream-tls";
            report.failed(why);
            reportRefusal("failed", why);
            close();
            return;
        }
        state = State.HANDSHAKING;
        deadline = loop.timers().schedule(tls.get().handshakeTimeout().toNanos(),
                () -> onHandshaken(null, new SSLException("TLS handshake timed out after "
                        + tls.get().handshakeTimeout().toMillis() + " ms")));
        handshake = tls.get().handshake(loop, backend, backendKey, currentEndpoint, asked.isPresent(), this::onHandshaken);
    }

    private void onHandshaken(TlsSocket socket, IOException error) {
        if (state != State.HANDSHAKING) {
            return;
        }
        handshake = null;
        UpstreamTls tls = context.settings().tls().upstream().orElseThrow();
        if (error != null) {
            TlsFailureReason reason = tls.counters().failed(error);
            context.refusals().report("failed", connection.client().getAddress(), Addresses.format(connection.client()),
                    Addresses.format(connection.local()), "TLS to " + Addresses.format(currentEndpoint) + " failed ("
                            + reason.label() + "): " + Channels.reason(error));
            onConnectFailed(error);
            return;
        }
        tls.counters().succeeded();
        cancelDeadline();
        startRelaying(socket, true);
    }

    /** The pair takes both keys over and moves the bytes from here on; TLS bytes go through buffers. */
    private void startRelaying(RelaySocket backendSocket, boolean buffered) {
        report.connected();
        context.health().succeeded(currentEndpoint);
        Flow up;
        Flow down;
        try {
            up = buffered ? transfer.bufferedFlow(client, backendSocket) : transfer.flow(client, backendSocket);
            down = buffered ? transfer.bufferedFlow(backendSocket, client) : transfer.flow(backendSocket, client);
        } catch (IOException e) {
            Logger.warn("closing {} -> {}: {}", Addresses.format(connection.client()), Addresses.format(currentEndpoint), Channels.reason(e));
            close();
            return;
        }
        state = State.RELAYING;
        clientWatch.forget();
        new RelayedPair(loop, context, connection, report, client, clientKey, backendSocket, backendKey, currentEndpoint,
                attempts.tried(), up, down).start();
    }

    @Override
    public void onReady(Registration key, int readyOps) {
        if (state == State.ACCEPTING_TLS) {
            if (key == clientKey) {
                handshake.onReady();
            }
        } else if (key == clientKey && clientWatch.isWatching()) {
            // Readable before relaying: the client is gone (give the attempt up) or speaking.
            String gone = clientWatch.onReadable();
            if (gone != null) {
                report.ended(gone + " while " + switch (state) {
                    case RESOLVING -> "resolving";
                    case QUEUED -> "waiting for a free endpoint";
                    default -> "connecting";
                });
                close();
            }
        } else if (state == State.HANDSHAKING && key == backendKey) {
            handshake.onReady();
        } else if (state == State.CONNECTING && key == backendKey && (readyOps & SelectionKey.OP_CONNECT) != 0) {
            try {
                if (backend.finishConnect()) {
                    onConnected();
                }
            } catch (IOException e) {
                onConnectFailed(e);
            }
        }
    }

    private void refuse(RefusalReason reason, String why) {
        if (state != State.RESOLVING && state != State.QUEUED) {
            return;
        }
        report.refused(reason, why);
        reportRefusal("refused", why);
        close();
    }

    private void reportRefusal(String verb, String why) {
        context.refusals().report(verb, connection.client().getAddress(), Addresses.format(connection.client()),
                Addresses.format(connection.local()), why);
    }

    /**
     * Closes what this connection holds before relaying. Once relaying, the pair owns the
     * channels (the keys are its), and this does nothing.
     */
    @Override
    public void close() {
        if (state == State.CLOSED || state == State.RELAYING) {
            return;
        }
        state = State.CLOSED;
        cancelDeadline();
        leaveQueue();
        if (handshake != null) {
            handshake.abandon();
            handshake = null;
        }
        loop.closeDeregistered(clientKey, client);
        loop.closeDeregistered(backendKey, backend);
        report.closed(0, 0, null, attempts == null ? 0 : attempts.tried());
    }

    private void cancelDeadline() {
        if (deadline != null) {
            deadline.cancel();
            deadline = null;
        }
    }
}
