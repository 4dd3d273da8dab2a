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

import org.ambassadord.core.fairness.FairnessSettings;
import org.ambassadord.core.logging.RefusalLog;
import org.ambassadord.core.relay.endpoint.BalancePolicy;
import org.ambassadord.core.relay.stats.RefusalReason;
import org.ambassadord.core.relay.stats.RelayObservers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Fairness rules on real sockets, with clients from distinct loopback source addresses
 * (127.0.0.2 is client A, 127.0.0.3 client B): per-client caps and rates leave the other client
 * alone, least-conn sends new connections to the endpoint holding fewer, and the per-endpoint
 * cap queues connections first in, first out, until its timeout.
 */
class FairnessRelayTest {

    private static final InetAddress A = address("127.0.0.2");
    private static final InetAddress B = address("127.0.0.3");

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private RelayServer relay;

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private RelayServer relay(FixedBackend backend, BalancePolicy balance, FairnessSettings fairness) throws IOException {
        RelaySettings settings = RelaySettings.defaults(List.of(0)).withBindAddress(InetAddress.getLoopbackAddress())
                .withLoops(2).withConnectTimeout(Duration.ofSeconds(2)).withBalance(balance).withFairness(fairness);
        relay = RelayServer.start(backend, settings, Optional.empty(), new RelayObservers(new RefusalLog(), new RecordingAccessLog(), reason -> { }));
        toClose.add(relay);
        return relay;
    }

    /** A backend that answers each connection with its name, then holds it open until the client leaves. */
    private InetSocketAddress namedServer(String name) throws IOException {
        TestServers.Server server = new TestServers.Server(socket -> {
            try (socket) {
                socket.getOutputStream().write((name + "\n").getBytes(StandardCharsets.US_ASCII));
                socket.getInputStream().readAllBytes();
            } catch (IOException ignored) {
                // the client left
            }
        });
        toClose.add(server);
        return server.address();
    }

    /**
     * A connection from {@code source}; returns the backend's name, or null when the relay closed
     * it without one — a refused connection is reset, which a client still in connect() sees there.
     */
    private String connectFrom(InetAddress source, List<Socket> held) throws IOException {
        Socket socket = new Socket();
        held.add(socket);
        toClose.add(socket);
        socket.bind(new InetSocketAddress(source, 0));
        try {
            socket.connect(relay.listenAddresses().get(0), 2000);
        } catch (java.net.SocketException reset) {
            return null;
        }
        socket.setSoTimeout(3000);
        return readLine(socket.getInputStream());
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        try {
            for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
                line.append((char) b);
            }
        } catch (SocketTimeoutException | java.net.SocketException e) {
            return null;
        }
        return line.isEmpty() ? null : line.toString();
    }

    @Test
    void aClientAtItsCapIsRefusedAtOnceWhileAnotherConnectsFreely() throws Exception {
        relay(FixedBackend.of(namedServer("x")), BalancePolicy.RANDOM, new FairnessSettings(3, 0, Duration.ZERO, 0, Duration.ofSeconds(5)));
        List<Socket> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            assertEquals("x", connectFrom(A, held));
        }
        long before = System.nanoTime();
        assertEquals(null, connectFrom(A, held), "A's fourth connection is closed");
        assertTrue(System.nanoTime() - before < 2_000_000_000L, "closed at once, not left waiting");
        for (int i = 0; i < 3; i++) {
            assertEquals("x", connectFrom(B, held), "B is not A: " + relay.metrics().refused() + " " + relay.fairness().clients().top(10));
        }
        assertEquals(1L, relay.metrics().refused().get(RefusalReason.CLIENT_CAP));
        assertEquals(3, relay.fairness().clients().top(10).stream().filter(u -> u.client().equals("127.0.0.2")).findFirst().orElseThrow().open());
        held.get(0).close();
        awaitOpen("127.0.0.2", 2);
        assertEquals("x", connectFrom(A, held), "below its cap again, A gets through");
    }

    @Test
    void aClientOverItsRateIsRefusedUntilItSlowsDownAndAnotherIsUnaffected() throws Exception {
        relay(FixedBackend.of(namedServer("x")), BalancePolicy.RANDOM, new FairnessSettings(0, 5, Duration.ZERO, 0, Duration.ofSeconds(5)));
        List<Socket> held = new ArrayList<>();
        int refusedA = 0;
        for (int i = 0; i < 20; i++) {
            if (connectFrom(A, held) == null) {
                refusedA++;
            }
        }
        assertTrue(refusedA >= 14, "at most 5 (and the sliding second's share) of A's 20 quick connections pass: " + refusedA + " refused");
        for (int i = 0; i < 5; i++) {
            assertEquals("x", connectFrom(B, held), "B opens its 5 while A floods");
        }
        assertEquals(null, connectFrom(A, held), "refused attempts count: A, still flooding, stays shut out");
        Thread.sleep(2100);
        assertEquals("x", connectFrom(A, held), "A slowed down: admitted again");
        assertTrue(relay.metrics().refused().get(RefusalReason.CLIENT_RATE) >= 15);
    }

    @Test
    void leastConnSendsNewConnectionsToTheEndpointHoldingFewer() throws Exception {
        InetSocketAddress x = namedServer("x");
        InetSocketAddress y = namedServer("y");
        relay(FixedBackend.of(x, y), BalancePolicy.LEAST_CONN, FairnessSettings.OFF);
        List<Socket> held = new ArrayList<>();
        int toX = 0;
        for (int i = 0; i < 40; i++) {
            if ("x".equals(connectFrom(A, held))) {
                toX++;
            }
        }
        assertEquals(20, toX, "long connections alternate: each new one goes to the endpoint holding fewer");
        for (int i = 0; i < 10; i++) {
            held.remove(0).close(); // close some, wherever they went
        }
        awaitTotalOpen(30);
        int beforeX = relay.fairness().load().openTo(x);
        int beforeY = relay.fairness().load().openTo(y);
        for (int i = 0; i < 10; i++) {
            connectFrom(B, held);
        }
        assertEquals(20, relay.fairness().load().openTo(x), "evened out from " + beforeX + "/" + beforeY);
        assertEquals(20, relay.fairness().load().openTo(y));
    }

    @Test
    void atTheEndpointCapConnectionsWaitInOrderUntilTheirTimeout() throws Exception {
        relay(FixedBackend.of(namedServer("x")), BalancePolicy.RANDOM, new FairnessSettings(0, 0, Duration.ZERO, 1, Duration.ofSeconds(3)));
        List<Socket> held = new ArrayList<>();
        assertEquals("x", connectFrom(A, held));
        Socket second = waitingConnection(A);
        Thread.sleep(100);
        Socket third = waitingConnection(B);
        awaitQueued(2);
        second.setSoTimeout(300);
        assertEquals(null, readLine(second.getInputStream()), "waits while the endpoint is at its cap");
        held.get(0).close();
        second.setSoTimeout(2000);
        assertEquals("x", readLine(second.getInputStream()), "first in line, first served");
        assertEquals(1, relay.fairness().queue().waiting(), "the third still waits");
        long waitedFrom = System.nanoTime();
        third.setSoTimeout(5000);
        assertEquals(null, readLine(third.getInputStream()), "refused at --queue-timeout");
        long waited = (System.nanoTime() - waitedFrom) / 1_000_000;
        assertTrue(waited > 1500 && waited < 4000, "refused after about 3 s in line: " + waited + " ms after the second left");
        assertEquals(1L, relay.metrics().refused().get(RefusalReason.QUEUE_TIMEOUT));
        assertEquals(0, relay.fairness().queue().waiting());
    }

    /**
     * An endpoint that failed into ejection and came back gets under 40 % of new connections in
     * the first fifth of its ramp, and its full share after.
     */
    @Test
    void aRestoredEndpointIsRampedBySlowStart() throws Exception {
        InetSocketAddress x = namedServer("x");
        java.net.ServerSocket reserved = new java.net.ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        InetSocketAddress y = (InetSocketAddress) reserved.getLocalSocketAddress();
        reserved.close(); // nothing listens there yet: connects fail, y is ejected
        RelaySettings settings = RelaySettings.defaults(List.of(0)).withBindAddress(InetAddress.getLoopbackAddress())
                .withLoops(1).withConnectTimeout(Duration.ofSeconds(2)).withBalance(BalancePolicy.ROUND_ROBIN)
                .withFairness(new FairnessSettings(0, 0, Duration.ofSeconds(5), 0, Duration.ofSeconds(5)));
        relay = RelayServer.start(FixedBackend.of(x, y), settings, Optional.empty(),
                new RelayObservers(new RefusalLog(), new RecordingAccessLog(), reason -> { }));
        toClose.add(relay);
        List<Socket> held = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            assertEquals("x", connectFrom(A, held), "y fails over to x");
        }
        assertTrue(relay.metrics().ejectedEndpoints().size() == 1, relay.metrics().ejectedEndpoints().toString());
        TestServers.Server revived = new TestServers.Server(InetAddress.getLoopbackAddress(), y.getPort(), socket -> {
            try (socket) {
                socket.getOutputStream().write("y\n".getBytes(StandardCharsets.US_ASCII));
                socket.getInputStream().readAllBytes();
            } catch (IOException ignored) {
                // the client left
            }
        });
        toClose.add(revived);
        // The first ejection lasts 5 s; then y is tried again, connects, and its ramp starts.
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!"y".equals(connectFrom(A, held))) {
            assertTrue(System.nanoTime() < deadline, "y was never tried again");
            Thread.sleep(100);
        }
        long rampStarted = System.nanoTime();
        int toY = 0;
        int total = 0;
        while (System.nanoTime() - rampStarted < 1_000_000_000L) { // the first fifth of 5 s
            total++;
            if ("y".equals(connectFrom(B, held))) {
                toY++;
            }
            held.remove(held.size() - 1).close();
        }
        assertTrue(total >= 20, "enough connections in the first second: " + total);
        assertTrue(toY < 0.4 * total, "restored endpoint in its first fifth: " + toY + " of " + total);
        Thread.sleep(4500);
        int later = 0;
        for (int i = 0; i < 40; i++) {
            if ("y".equals(connectFrom(B, held))) {
                later++;
            }
            held.remove(held.size() - 1).close();
        }
        assertEquals(20, later, "after the ramp, round-robin's full half: " + later + " of 40");
    }

    private Socket waitingConnection(InetAddress source) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(source, 0));
        socket.connect(relay.listenAddresses().get(0), 2000);
        toClose.add(socket);
        return socket;
    }

    private void awaitQueued(int count) throws InterruptedException {
        for (int i = 0; i < 200 && relay.fairness().queue().waiting() != count; i++) {
            Thread.sleep(10);
        }
        assertEquals(count, relay.fairness().queue().waiting());
    }

    private void awaitOpen(String client, int open) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            if (relay.fairness().clients().top(10).stream().anyMatch(u -> u.client().equals(client) && u.open() == open)) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError(client + " did not get to " + open + " open: " + relay.fairness().clients().top(10));
    }

    private void awaitTotalOpen(int total) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            if (relay.fairness().load().snapshot().values().stream().mapToInt(Integer::intValue).sum() == total) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("open connections did not settle at " + total + ": " + relay.fairness().load().snapshot());
    }
}
