package org.ambassadord.core.relay;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.ambassadord.core.accesslog.AccessLog;
import org.ambassadord.core.fairness.Fairness;
import org.ambassadord.core.logging.RefusalLog;
import org.ambassadord.spi.Backend;
import org.ambassadord.spi.OriginalDestinationLookup;
import org.tinylog.Logger;
import org.ambassadord.core.relay.endpoint.ActiveHealthCheck;
import org.ambassadord.core.relay.endpoint.ConnectFailures;
import org.ambassadord.core.relay.endpoint.EndpointHealth;
import org.ambassadord.core.relay.endpoint.SelfEndpoints;
import org.ambassadord.core.relay.endpoint.SmoothWeightedTurns;
import org.ambassadord.core.relay.loop.IoPath;
import org.ambassadord.core.relay.loop.LoopIo;
import org.ambassadord.core.relay.loop.RelayLoop;
import org.ambassadord.core.relay.socket.Addresses;
import org.ambassadord.core.relay.socket.LinuxCalls;
import org.ambassadord.core.relay.socket.SocketDescriptors;
import org.ambassadord.core.relay.socket.TcpKeepalive;
import org.ambassadord.core.relay.stats.LoopCounters;
import org.ambassadord.core.relay.stats.LoopFigures;
import org.ambassadord.core.relay.stats.RelayMetrics;
import org.ambassadord.core.relay.stats.RelayObservers;
import org.ambassadord.core.relay.stats.RelayStats;
import org.ambassadord.core.relay.transfer.TransferPath;

/**
 * Listens on the backend's ports and relays every accepted connection. With several loops
 * and {@code SO_REUSEPORT}, each loop has its own listening socket per port and the kernel
 * spreads connections over them; without it, one socket per port hands connections to the
 * loops in turn.
 */
public final class RelayServer implements AutoCloseable {

    private static final int BACKLOG = 1024;

    private final List<RelayLoop> loops;
    private final List<LoopWorker> workers;
    private final TransferPath path;
    private final IoPath io;
    private final List<Acceptor> acceptors = new ArrayList<>();
    private final List<InetSocketAddress> listenAddresses = new ArrayList<>();
    private final ConnectFailures connectFailures = new ConnectFailures();
    private final EndpointHealth health;
    private final Fairness fairness;
    /** This server's own listeners, which no connection or health check may be sent to. */
    private final SelfEndpoints self = new SelfEndpoints();
    /** TLS on either hop, for {@code /metrics} and {@code /status}; set once at start. */
    private volatile org.ambassadord.core.tls.TlsHops tls = org.ambassadord.core.tls.TlsHops.NONE;
    private final RelayStats stats = new RelayStats(this::metrics, this::activeConnections);
    /** Null unless --health-check asked for one. */
    private ActiveHealthCheck healthCheck;

    private RelayServer(List<LoopWorker> workers, TransferPath path, IoPath io, EndpointHealth health, Fairness fairness) {
        this.workers = List.copyOf(workers);
        this.loops = workers.stream().map(LoopWorker::loop).toList();
        this.path = path;
        this.io = io;
        this.health = health;
        this.fairness = fairness;
    }

    /** Per-client counts, per-endpoint open connections and the wait queue, for /status and /metrics. */
    public Fairness fairness() {
        return fairness;
    }

    /**
     * Binds every port and starts the loops.
     *
     * @throws IOException when a port cannot be bound; nothing is left running then
     */
    public static RelayServer start(Backend backend, RelaySettings settings,
                                    Optional<OriginalDestinationLookup> originalDestinations) throws IOException {
        return start(backend, settings, originalDestinations, RelayObservers.quiet());
    }

    /**
     * Binds every port and starts the loops, logging refusals through the given log.
     *
     * @throws IOException when a port cannot be bound; nothing is left running then
     */
    public static RelayServer start(Backend backend, RelaySettings settings,
                                    Optional<OriginalDestinationLookup> originalDestinations,
                                    RefusalLog refusals) throws IOException {
        return start(backend, settings, originalDestinations, new RelayObservers(refusals, AccessLog.OFF, reason -> { }));
    }

    /**
     * Binds every port and starts the loops, logging refusals and closed connections.
     *
     * @throws IOException when a port cannot be bound; nothing is left running then
     */
    public static RelayServer start(Backend backend, RelaySettings settings,
                                    Optional<OriginalDestinationLookup> originalDestinations,
                                    RefusalLog refusals, AccessLog accessLog) throws IOException {
        return start(backend, settings, originalDestinations, new RelayObservers(refusals, accessLog, reason -> { }));
    }

    /**
     * Binds every port and starts the loops.
     *
     * @throws IOException when a port cannot be bound; nothing is left running then
     */
    public static RelayServer start(Backend backend, RelaySettings settings,
                                    Optional<OriginalDestinationLookup> originalDestinations,
                                    RelayObservers observers) throws IOException {
        RefusalLog refusals = observers.refusals();
        AccessLog accessLog = observers.accessLog();
        TransferPath path = TransferPath.choose(settings.splice(), settings.bufferSize(), settings.loops());
        IoPath io = IoPath.choose(settings.eventLoop());
        List<RelayLoop> loops = new ArrayList<>();
        List<LoopWorker> workers = new ArrayList<>();
        List<LoopIo> pollers = new ArrayList<>();
        try {
            for (int i = 0; i < settings.loops(); i++) {
                pollers.add(io.newForLoop());
            }
        } catch (IOException | RuntimeException e) {
            pollers.forEach(LoopIo::shutdown);
            throw new IOException("cannot set up the event loops: " + e.getMessage(), e);
        }
        for (int i = 0; i < settings.loops(); i++) {
            loops.add(new RelayLoop("relay-" + i, pollers.get(i), observers.onLoopDeath()));
            workers.add(new LoopWorker(loops.get(i), path.newForLoop()));
        }
        Fairness fairness = new Fairness(settings.fairness(), settings.limits().maxConnections());
        RelayServer server = new RelayServer(workers, path, io, new EndpointHealth(settings.limits().ejectAfter(),
                endpoint -> fairness.restored(endpoint, System.nanoTime())), fairness);
        server.tls = settings.tls();
        RelayContext context = new RelayContext(backend, settings, originalDestinations, server.connectFailures, server.health,
                server::activeConnections, refusals, accessLog,
                new AtomicInteger(), new SmoothWeightedTurns(), server.self, fairness);
        try {
            for (int port : settings.ports()) {
                server.listen(new InetSocketAddress(settings.bindAddress(), port), context);
            }
        } catch (IOException | RuntimeException e) {
            server.acceptors.forEach(Acceptor::close);
            throw e;
        }
        loops.forEach(RelayLoop::start);
        server.startHealthCheck(backend, settings);
        return server;
    }

    /** TLS on the listener and to the backends, as the server was started with. */
    public org.ambassadord.core.tls.TlsHops tls() {
        return tls;
    }

    private void startHealthCheck(Backend backend, RelaySettings settings) {
        if (settings.limits().healthCheck().isZero()) {
            return;
        }
        if (backend.needsOriginalDestination()) {
            Logger.warn("--health-check does nothing in omni mode: endpoints depend on the connecting container");
            return;
        }
        healthCheck = ActiveHealthCheck.start(backend, listenAddresses, health, self, settings.limits().healthCheck(),
                settings.resolveTimeout(), settings.connectTimeout());
    }

    private void listen(InetSocketAddress address, RelayContext context) throws IOException {
        boolean sharePort = loops.size() > 1 && supportsReusePort();
        int sockets = sharePort ? loops.size() : 1;
        InetSocketAddress bindTo = address;
        for (int i = 0; i < sockets; i++) {
            ServerSocketChannel channel = ServerSocketChannel.open();
            try {
                channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                if (sharePort) {
                    channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
                }
                channel.bind(bindTo, BACKLOG);
                channel.configureBlocking(false);
            } catch (IOException e) {
                channel.close();
                throw new IOException("cannot listen on [" + Addresses.format(bindTo) + "]: " + e.getMessage(), e);
            }
            // Port 0 (tests) must become one port shared by all sockets.
            bindTo = (InetSocketAddress) channel.getLocalAddress();
            self.listeningOn(bindTo.getPort());
            LoopWorker owner = workers.get(i);
            Acceptor acceptor = new Acceptor(owner.loop(), channel, sharePort ? List.of(owner) : workers, context,
                    setNoDelay(channel));
            setKeepalive(channel, context.settings().limits().tcpKeepalive());
            acceptors.add(acceptor);
            owner.loop().execute(() -> registerOrClose(acceptor));
        }
        listenAddresses.add(bindTo);
    }

    private static void registerOrClose(Acceptor acceptor) {
        try {
            acceptor.register();
        } catch (IOException e) {
            Logger.error("cannot accept connections: {}", e.getMessage());
            acceptor.close();
        }
    }

    /**
     * TCP_NODELAY on the listening socket, which Linux copies to every accepted one: one system
     * call per port instead of one per connection. The JDK has no such option for listening
     * sockets, hence the native call.
     *
     * @return whether accepted sockets inherit it; if not, the acceptor sets it on each
     */
    private static boolean setNoDelay(ServerSocketChannel channel) {
        int fd = SocketDescriptors.fdOf(channel);
        if (fd < 0) {
            return false;
        }
        try {
            LinuxCalls.instance().setNoDelay(fd);
            return true;
        } catch (UnsupportedOperationException | IOException e) {
            return false;
        }
    }

    /**
     * TCP keepalive on the listening socket, inherited by every accepted one on Linux (the
     * backend side is set per connection, see {@link TcpKeepalive}). Where it cannot be set,
     * says so once: client sockets then have no keepalive.
     */
    private static void setKeepalive(ServerSocketChannel channel, Duration idle) {
        if (idle.isZero()) {
            return;
        }
        int fd = SocketDescriptors.fdOf(channel);
        try {
            if (fd < 0) {
                throw new IOException("no file descriptor");
            }
            TcpKeepalive.enable(LinuxCalls.instance(), fd, idle);
        } catch (UnsupportedOperationException | IOException e) {
            Logger.info("TCP keepalive cannot be set on accepted sockets here ({}); backend sockets still get it",
                    e.getMessage());
        }
    }

    private static boolean supportsReusePort() {
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            SocketOption<Boolean> option = StandardSocketOptions.SO_REUSEPORT;
            return probe.supportedOptions().contains(option);
        } catch (IOException e) {
            return false;
        }
    }

    /** The bound addresses, one per port, with the actual port when 0 was asked for. */
    public List<InetSocketAddress> listenAddresses() {
        return List.copyOf(listenAddresses);
    }

    public RelayStats stats() {
        return stats;
    }

    /** Connections open now, summed over the loops (two reads per loop); any thread. */
    long activeConnections() {
        long active = 0;
        for (int i = 0; i < loops.size(); i++) {
            LoopCounters counters = loops.get(i).counters();
            active += counters.get(LoopCounters.ACCEPTED) - counters.get(LoopCounters.CLOSED);
        }
        return active;
    }

    /** Every counter, summed over the loops now; any thread, never waits for a loop. */
    public RelayMetrics metrics() {
        List<LoopFigures> figures = workers.stream().map(worker -> new LoopFigures(worker.loop().counters(),
                worker.loop().isAlive(), worker.transfer().held(), worker.transfer().bytesSpliced(),
                worker.transfer().bufferWaits())).toList();
        return RelayMetrics.sum(figures, connectFailures.snapshot(), health.ejectedNow(System.nanoTime()), health.ejections(),
                healthCheck == null ? 0 : healthCheck.passed(), healthCheck == null ? 0 : healthCheck.failed());
    }

    /** Whether every listening socket is open: false once draining, or if one failed. */
    public boolean isListening() {
        return !acceptors.isEmpty() && acceptors.stream().allMatch(Acceptor::isOpen);
    }

    /** Whether relays move bytes with splice(2) rather than buffers. */
    public boolean splices() {
        return path.splices();
    }

    /** Whether the loops poll with epoll (through jffi) rather than the JDK's NIO selector. */
    public boolean usesEpoll() {
        return io.epoll();
    }

    /** Closes the listening sockets; established connections go on. */
    public void stopAccepting() {
        acceptors.forEach(Acceptor::closeOnItsLoop);
    }

    /**
     * Stops accepting and waits for open connections to finish, at most {@code timeout}.
     *
     * @return whether every connection finished in time
     */
    public boolean drain(Duration timeout) throws InterruptedException {
        stopAccepting();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (activeConnections() > 0 && System.nanoTime() - deadline < 0) {
            Thread.sleep(20);
        }
        return activeConnections() == 0;
    }

    /** Stops the loops, closing every connection still open. */
    @Override
    public void close() throws InterruptedException {
        if (healthCheck != null) {
            healthCheck.close();
        }
        loops.forEach(RelayLoop::shutdown);
        for (RelayLoop loop : loops) {
            loop.awaitTermination(5_000);
        }
    }
}
