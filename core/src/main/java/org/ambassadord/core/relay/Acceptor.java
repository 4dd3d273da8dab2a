package org.ambassadord.core.relay;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.util.List;
import java.util.Optional;

import org.ambassadord.core.fairness.ClientTable;
import org.ambassadord.core.relay.socket.Addresses;
import org.ambassadord.spi.ClientConnection;
import org.ambassadord.spi.OriginalDestinationLookup;
import org.tinylog.Logger;
import org.ambassadord.core.relay.loop.LoopIo;
import org.ambassadord.core.relay.loop.Registration;
import org.ambassadord.core.relay.loop.RelayLoop;
import org.ambassadord.core.relay.loop.SelectionHandler;
import org.ambassadord.core.relay.socket.RelaySocket;
import org.ambassadord.core.relay.stats.LoopCounters;

/**
 * Accepts connections on one listening socket and starts a {@link Relay} for each, on its own
 * loop or handed round-robin to the given loops. Loop thread only.
 */
final class Acceptor implements SelectionHandler {

    /** Accepts per readiness event, so a connection storm cannot starve established relays. */
    private static final int MAX_ACCEPTS_PER_EVENT = 64;
    /**
     * Refusals by a per-client limit do not count toward that: each costs a reset and no relay,
     * and draining a flooding client's connections from the kernel's accept queue quickly is
     * what keeps the other clients' new connections from waiting behind them. Bounded still.
     */
    private static final int MAX_REFUSALS_PER_EVENT = 1024;
    /** Pause after accept fails (typically EMFILE), instead of spinning on a ready socket. */
    private static final long ACCEPT_BACKOFF_NANOS = 100_000_000L;
    /** How soon a listener paused at the connection cap looks again. */
    private static final long CAP_RECHECK_NANOS = 10_000_000L;

    private final RelayLoop loop;
    private final ServerSocketChannel server;
    private final List<LoopWorker> targets;
    private final RelayContext context;
    /** Whether the listening socket hands TCP_NODELAY down to accepted ones (Linux). */
    private final boolean noDelayInherited;
    private Registration key;
    private int nextTarget;

    Acceptor(RelayLoop loop, ServerSocketChannel server, List<LoopWorker> targets, RelayContext context,
             boolean noDelayInherited) {
        this.loop = loop;
        this.server = server;
        this.targets = targets;
        this.context = context;
        this.noDelayInherited = noDelayInherited;
    }

    /** Starts accepting. Loop thread. */
    void register() throws IOException {
        key = loop.registerListener(server, this);
    }

    @Override
    public void onReady(Registration readyKey, int readyOps) {
        int max = context.settings().limits().maxConnections();
        int refused = 0;
        for (int i = 0; i < MAX_ACCEPTS_PER_EVENT + refused && refused < MAX_REFUSALS_PER_EVENT; i++) {
            if (max > 0 && context.activeConnections().getAsLong() >= max) {
                pauseAtCap();
                return;
            }
            LoopIo.Accepted client;
            try {
                client = loop.io().accept(server, noDelayInherited);
            } catch (IOException e) {
                Logger.warn("accept on {} failed, pausing 100 ms: {}", server.socket().getLocalSocketAddress(), e.getMessage());
                pauseAccepting();
                return;
            }
            if (client == null) {
                return;
            }
            ClientTable.Admission admission = context.fairness().admit(client.remote().getAddress(), System.nanoTime());
            if (!admission.admitted()) {
                refuse(client, admission);
                refused++;
                continue;
            }
            handOff(client, admission);
        }
    }

    /**
     * Over its own cap or rate: reset at once, before any work for it (no lookup, no relay, no
     * {@code TIME_WAIT} left), counted and logged (rate-limited: the line is built only when
     * written). Accepting goes on, so the client cannot hold the listener's backlog against the others.
     */
    private void refuse(LoopIo.Accepted accepted, ClientTable.Admission admission) {
        loop.counters().refused(admission.refusal());
        context.refusals().report("refused", accepted.remote().getAddress(), () -> Addresses.format(accepted.remote()),
                () -> Addresses.format(accepted.local()), admission.why());
        accepted.socket().resetQuietly();
    }

    private void handOff(LoopIo.Accepted accepted, ClientTable.Admission admission) {
        RelaySocket client = accepted.socket();
        ClientConnection connection;
        try {
            connection = describe(accepted);
        } catch (RuntimeException e) {
            // A plugin's original-destination lookup that throws fails this connection, not
            // the listener: an exception here would otherwise close the acceptor.
            loop.failures().handle("describing a connection", e);
            context.fairness().closed(admission, System.nanoTime());
            client.closeQuietly();
            return;
        }
        LoopWorker target = targets.get(nextTarget);
        nextTarget = (nextTarget + 1) % targets.size();
        if (target.loop() == loop) {
            start(target, client, connection, admission);
        } else {
            target.loop().execute(() -> start(target, client, connection, admission));
        }
    }

    /**
     * Starts a relay on its loop. Whatever it throws ends that connection, never the
     * acceptor (run inline, the loop would close the acceptor as the handler that failed).
     */
    private void start(LoopWorker target, RelaySocket client, ClientConnection connection, ClientTable.Admission admission) {
        Relay relay = new Relay(target, context, client, connection, admission);
        try {
            relay.start();
        } catch (Throwable e) {
            target.loop().failures().handle("starting a connection", e);
            relay.close();
        }
    }

    private ClientConnection describe(LoopIo.Accepted accepted) {
        InetSocketAddress remote = accepted.remote();
        Optional<InetSocketAddress> original = Optional.empty();
        if (context.backend().needsOriginalDestination() && context.originalDestinations().isPresent()) {
            OriginalDestinationLookup lookup = context.originalDestinations().get();
            int fd = accepted.socket().fd();
            if (fd >= 0) {
                original = lookup.lookup(fd, remote);
            }
        }
        return new ClientConnection(remote, accepted.local(), original);
    }

    /**
     * At {@code --max-connections}: stop accepting (new clients wait in the listen backlog, as
     * with HAProxy's maxconn) and look again shortly; accepting resumes below the cap.
     */
    private void pauseAtCap() {
        loop.counters().increment(LoopCounters.ACCEPT_PAUSES);
        key.interestOps(0);
        loop.timers().schedule(CAP_RECHECK_NANOS, () -> {
            if (key.isValid()) {
                key.interestOps(SelectionKey.OP_ACCEPT);
            }
        });
    }

    private void pauseAccepting() {
        key.interestOps(0);
        loop.timers().schedule(ACCEPT_BACKOFF_NANOS, () -> {
            if (key.isValid()) {
                key.interestOps(SelectionKey.OP_ACCEPT);
            }
        });
    }

    /** Whether the listening socket is still open; any thread. */
    boolean isOpen() {
        return server.isOpen();
    }

    /** Closes the listening socket from any thread. */
    void closeOnItsLoop() {
        loop.execute(this::close);
    }

    @Override
    public void close() {
        if (key != null) {
            key.cancel();
        }
        try {
            server.close();
        } catch (IOException e) {
            Logger.debug(e, "closing a listener failed");
        }
    }
}
