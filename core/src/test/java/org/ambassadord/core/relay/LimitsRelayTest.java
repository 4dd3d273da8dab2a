package org.ambassadord.core.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.ambassadord.core.accesslog.AccessRecord;
import org.ambassadord.core.logging.RefusalLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ambassadord.core.relay.socket.Addresses;
import org.ambassadord.core.relay.stats.RefusalReason;
import org.ambassadord.core.relay.stats.RelayMetrics;
import org.ambassadord.core.relay.stats.RelayObservers;

/**
 * Deadlines and caps on real sockets: idle and half-close timeouts, TCP keepalive, the
 * connection cap, the attempt cap and outlier ejection.
 */
class LimitsRelayTest {

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final RecordingAccessLog recording = new RecordingAccessLog();
    private final List<AccessRecord> closed = recording.records();
    private RelayServer relay;

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private RelayServer relay(FixedBackend backend, RelayLimits limits) throws IOException {
        RelaySettings settings = RelaySettings.defaults(List.of(0)).withBindAddress(InetAddress.getLoopbackAddress())
                .withLoops(1).withConnectTimeout(Duration.ofSeconds(2)).withLimits(limits);
        relay = RelayServer.start(backend, settings, Optional.empty(),
                new RelayObservers(new RefusalLog(), recording, reason -> { }));
        toClose.add(relay);
        return relay;
    }


    /** A backend that accepts and then says nothing and reads nothing until closed. */
    private InetSocketAddress silentServer() throws IOException {
        TestServers.Server server = new TestServers.Server(socket -> {
            try (socket) {
                socket.getInputStream().readAllBytes();
            } catch (IOException ignored) {
                // closed by the relay
            }
        });
        toClose.add(server);
        return server.address();
    }

    /** A backend that reads to the end and then stays, saying nothing, without closing. */
    private InetSocketAddress staysAfterEndServer() throws IOException {
        TestServers.Server server = new TestServers.Server(socket -> {
            try (socket) {
                socket.getInputStream().readAllBytes();
                Thread.sleep(10_000);
            } catch (IOException | InterruptedException ignored) {
                // closed
            }
        });
        toClose.add(server);
        return server.address();
    }

    private TestServers.Server helloServer() throws IOException {
        TestServers.Server server = new TestServers.Server(socket -> {
            try (socket) {
                socket.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
                socket.getInputStream().readAllBytes();
            } catch (IOException ignored) {
                // closed
            }
        });
        toClose.add(server);
        return server;
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.connect(relay.listenAddresses().get(0), 2000);
        socket.setSoTimeout(10_000);
        toClose.add(socket);
        return socket;
    }

    private AccessRecord awaitClosed(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (closed.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(closed.size() >= count, "closed: " + closed);
        return closed.get(count - 1);
    }

    @Test
    void aQuietConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        relay(FixedBackend.of(silentServer()), RelayLimits.DEFAULTS.withIdleTimeout(Duration.ofMillis(400)));
        Socket client = connect();
        long start = System.nanoTime();
        assertEquals(-1, client.getInputStream().read(), "closed by the relay");
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(millis >= 380 && millis < 2000, "closed after " + millis + " ms");
        assertTrue(awaitClosed(1).outcome().startsWith("idle timeout: quiet for "), closed.toString());
    }

    @Test
    void trafficKeepsAConnectionOpenPastTheIdleTimeout() throws Exception {
        TestServers.Server echo = new TestServers.Server(socket -> {
            try (socket) {
                socket.getInputStream().transferTo(socket.getOutputStream());
            } catch (IOException ignored) {
                // closed
            }
        });
        toClose.add(echo);
        relay(FixedBackend.of(echo.address()), RelayLimits.DEFAULTS.withIdleTimeout(Duration.ofMillis(400)));
        Socket client = connect();
        for (int i = 0; i < 8; i++) {
            client.getOutputStream().write('x');
            assertEquals('x', client.getInputStream().read());
            Thread.sleep(150);
        }
        assertEquals(0, closed.size(), "1.2 s of traffic every 150 ms outlives a 400 ms idle timeout");
    }

    @Test
    void aHalfClosedConnectionWhoseOtherSideWentQuietIsClosed() throws Exception {
        relay(FixedBackend.of(staysAfterEndServer()), RelayLimits.DEFAULTS.withHalfCloseTimeout(Duration.ofMillis(400)));
        Socket client = connect();
        client.shutdownOutput();
        long start = System.nanoTime();
        assertEquals(-1, client.getInputStream().read());
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(millis >= 380 && millis < 2000, "closed after " + millis + " ms");
        assertTrue(awaitClosed(1).outcome().startsWith("half-close timeout: "), closed.toString());
    }

    @Test
    void bothSocketsHaveTcpKeepalive() throws Exception {
        InetSocketAddress backend = silentServer();
        relay(FixedBackend.of(backend), RelayLimits.DEFAULTS);
        Socket client = connect();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        String sockets = "";
        while (System.nanoTime() < deadline) {
            Process ss = new ProcessBuilder("ss", "-tno", "state", "established").redirectErrorStream(true).start();
            sockets = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            ss.waitFor();
            if (keepaliveOn(sockets, ":" + relay.listenAddresses().get(0).getPort() + " ", ":" + client.getLocalPort())
                    && keepaliveOn(sockets, "", ":" + backend.getPort() + " ")) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no keepalive timer on the relay's two sockets (ss from iproute2):\n" + sockets);
    }

    /** A line of {@code ss -o} for a socket with both fragments and a keepalive timer. */
    private static boolean keepaliveOn(String sockets, String local, String peer) {
        return sockets.lines().anyMatch(line -> line.contains(local) && line.contains(peer) && line.contains("timer:(keepalive"));
    }

    @Test
    void atTheConnectionCapAcceptingWaitsUntilOneCloses() throws Exception {
        TestServers.Server hello = helloServer();
        relay(FixedBackend.of(hello.address()), RelayLimits.DEFAULTS.withMaxConnections(2));
        Socket first = connect();
        Socket second = connect();
        assertEquals('h', first.getInputStream().read());
        assertEquals('h', second.getInputStream().read());
        Socket third = connect();
        third.setSoTimeout(500);
        try {
            int read = third.getInputStream().read();
            throw new AssertionError("served beyond the cap: read " + read);
        } catch (SocketTimeoutException expected) {
            // waits in the backlog
        }
        first.close();
        third.setSoTimeout(5000);
        assertEquals('h', third.getInputStream().read(), "served once below the cap");
        assertTrue(relay.metrics().acceptPauses() > 0);
    }

    @Test
    void anEndpointThatKeepsFailingIsEjectedAndSkipped() throws Exception {
        InetSocketAddress dead = TestServers.deadAddress();
        TestServers.Server hello = helloServer();
        relay(FixedBackend.of(dead, hello.address()).ordered(), RelayLimits.DEFAULTS.withEjectAfter(2));
        for (int i = 0; i < 5; i++) {
            InputStream in = connect().getInputStream();
            assertEquals('h', in.read(), "connection " + i);
        }
        RelayMetrics metrics = relay.metrics();
        assertEquals(2L, metrics.connectFailures().get(Addresses.format(dead)), "tried until ejected, then skipped");
        assertEquals(List.of(Addresses.format(dead)), metrics.ejectedEndpoints());
        assertEquals(1, metrics.ejections());
    }

    @Test
    void whenEveryEndpointIsEjectedAllAreTriedAnyway() throws Exception {
        InetSocketAddress dead = TestServers.deadAddress();
        relay(FixedBackend.of(dead), RelayLimits.DEFAULTS.withEjectAfter(1));
        for (int i = 0; i < 3; i++) {
            assertEquals(-1, connect().getInputStream().read());
        }
        assertEquals(3L, relay.metrics().connectFailures().get(Addresses.format(dead)), "panic: tried while ejected");
    }

    @Test
    void attemptsPerConnectionAreCapped() throws Exception {
        InetSocketAddress dead1 = TestServers.deadAddress();
        InetSocketAddress dead2 = TestServers.deadAddress();
        TestServers.Server hello = helloServer();
        relay(FixedBackend.of(dead1, dead2, hello.address()).ordered(), new RelayLimits(Duration.ofHours(1),
                Duration.ofMinutes(1), Duration.ofMinutes(2), 0, 2, 0, Duration.ofSeconds(15), Duration.ZERO));
        assertEquals(-1, connect().getInputStream().read(), "two attempts, both dead");
        AccessRecord record = awaitClosed(1);
        assertEquals(2, record.attempts());
        assertTrue(record.outcome().startsWith("failed: all 2 endpoints tried failed: "), record.outcome());
        assertEquals(0, hello.acceptedCount());
    }

    /** No endpoint is tried once the overall connect deadline has passed. */
    @Test
    void theConnectDeadlineStopsFurtherAttempts() throws Exception {
        TestServers.BlackHole full = TestServers.BlackHole.open();
        toClose.add(full);
        TestServers.Server hello = helloServer();
        RelaySettings settings = RelaySettings.defaults(List.of(0)).withBindAddress(InetAddress.getLoopbackAddress())
                .withLoops(1).withConnectTimeout(Duration.ofMillis(400))
                .withLimits(RelayLimits.DEFAULTS.withConnectDeadline(Duration.ofMillis(200)).withEjectAfter(0));
        relay = RelayServer.start(FixedBackend.of(full.address(), hello.address()).ordered(),
                settings, Optional.empty(), new RelayObservers(new RefusalLog(), recording, reason -> { }));
        toClose.add(relay);
        assertEquals(-1, connect().getInputStream().read());
        AccessRecord record = awaitClosed(1);
        assertEquals(1, record.attempts());
        assertTrue(record.outcome().startsWith("failed: 1 of 2 endpoints tried: "), record.outcome());
        assertTrue(record.outcome().endsWith("connect deadline of 200 ms passed before the next endpoint"), record.outcome());
        assertEquals(0, hello.acceptedCount());
    }

    /**
     * With --health-check a dead endpoint is ejected before any client meets it, so the first
     * client goes straight to the live one; once something listens there again, a probe
     * restores it.
     */
    @Test
    void activeChecksEjectADeadEndpointBeforeAnyClientAndRestoreIt() throws Exception {
        TestServers.Server hello = helloServer();
        // The dead address is picked once the relay listens: a port released before could be
        // handed to the relay's own listener (a CI run saw it), which is never probed.
        java.util.concurrent.atomic.AtomicReference<InetSocketAddress> deadHolder = new java.util.concurrent.atomic.AtomicReference<>();
        relay(FixedBackend.resolvingWith(connection -> java.util.concurrent.CompletableFuture.completedFuture(
                        deadHolder.get() == null ? List.of(hello.address()) : List.of(deadHolder.get(), hello.address()))).ordered(),
                RelayLimits.DEFAULTS.withEjectAfter(2).withHealthCheck(Duration.ofMillis(100)));
        InetSocketAddress dead = TestServers.deadAddress();
        while (dead.getPort() == relay.listenAddresses().get(0).getPort()) {
            dead = TestServers.deadAddress();
        }
        deadHolder.set(dead);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (relay.metrics().ejectedEndpoints().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(List.of(Addresses.format(dead)), relay.metrics().ejectedEndpoints());
        assertTrue(relay.metrics().healthChecksFailed() >= 2, relay.metrics().toString());
        assertTrue(relay.metrics().healthChecksPassed() >= 1, "the live endpoint passes");

        InputStream in = connect().getInputStream();
        assertEquals("hello", new String(in.readNBytes(5), StandardCharsets.US_ASCII));
        assertEquals(0, relay.metrics().connectFailures().getOrDefault(Addresses.format(dead), 0L),
                "no client tried the ejected endpoint");

        try (java.net.ServerSocket revived = new java.net.ServerSocket()) {
            revived.setReuseAddress(true);
            revived.bind(dead);
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!relay.metrics().ejectedEndpoints().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(List.of(), relay.metrics().ejectedEndpoints(), "a passed probe restores the endpoint");
        }
    }

    /**
     * A backend that names the ambassador's own listener would make it connect to itself,
     * hop after hop, until file descriptors run out: it is refused as a loop instead.
     */
    @Test
    void anEndpointThatIsTheRelaysOwnListenerIsRefusedAsALoop() throws Exception {
        relay(FixedBackend.resolvingWith(connection -> java.util.concurrent.CompletableFuture.completedFuture(
                List.of(connection.local()))), RelayLimits.DEFAULTS);
        assertEquals(-1, connect().getInputStream().read(), "refused, not relayed to itself");
        AccessRecord record = awaitClosed(1);
        assertTrue(record.outcome().contains("is this ambassador's own listener: relaying there would loop"),
                record.outcome());
        assertEquals(1L, relay.metrics().refused().get(RefusalReason.LOOP));
        assertEquals(0, relay.metrics().active());
    }
}
