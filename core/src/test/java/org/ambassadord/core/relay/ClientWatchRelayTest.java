package org.ambassadord.core.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.ambassadord.core.accesslog.AccessRecord;
import org.ambassadord.core.logging.RefusalLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ambassadord.core.relay.stats.RelayObservers;

/**
 * A client that gives up (resets) while its backend is resolved or connected ends the attempt
 * at once; a client that only shuts its output is still served.
 */
class ClientWatchRelayTest {

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

    private void relay(FixedBackend backend) throws IOException {
        RelaySettings settings = RelaySettings.defaults(List.of(0)).withBindAddress(InetAddress.getLoopbackAddress())
                .withLoops(1).withConnectTimeout(Duration.ofSeconds(20)).withResolveTimeout(Duration.ofSeconds(20));
        relay = RelayServer.start(backend, settings, Optional.empty(),
                new RelayObservers(new RefusalLog(), recording, reason -> { }));
        toClose.add(relay);
    }

    private AccessRecord awaitRecord(long withinMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(withinMillis);
        while (closed.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(1, closed.size(), "the attempt should end within " + withinMillis + " ms, not at its 20 s timeout");
        return closed.get(0);
    }

    /** Connects, waits, and resets the connection (SO_LINGER 0), as a client that gave up does. */
    private void resetAfter(long millis) throws Exception {
        try (Socket client = new Socket()) {
            client.connect(relay.listenAddresses().get(0), 2000);
            Thread.sleep(millis);
            client.setSoLinger(true, 0);
        }
    }

    /** Before: found by the image's end-to-end suite, where nc shuts its output at once. */
    @Test
    void aClientThatShutsItsOutputWhileResolvingIsStillAnswered() throws Exception {
        CompletableFuture<List<InetSocketAddress>> answer = new CompletableFuture<>();
        relay(FixedBackend.resolvingWith(connection -> answer));
        TestServers.Server hello = new TestServers.Server(socket -> {
            try (socket) {
                socket.getOutputStream().write("hello".getBytes());
            } catch (IOException ignored) {
                // closed
            }
        });
        toClose.add(hello);
        try (Socket client = new Socket()) {
            client.connect(relay.listenAddresses().get(0), 2000);
            client.setSoTimeout(5000);
            client.shutdownOutput();
            Thread.sleep(200);
            answer.complete(List.of(hello.address()));
            assertEquals("hello", new String(client.getInputStream().readAllBytes()));
        }
    }

    @Test
    void aClientThatLeavesWhileResolvingEndsTheAttempt() throws Exception {
        relay(FixedBackend.resolvingWith(connection -> new CompletableFuture<>()));
        resetAfter(100);
        assertTrue(awaitRecord(2000).outcome().startsWith("the client reset the connection ("), closed.toString());
        assertTrue(closed.get(0).outcome().endsWith(") while resolving"), closed.toString());
        assertEquals(0, relay.metrics().active());
    }

    @Test
    void aClientThatLeavesWhileConnectingEndsTheAttempt() throws Exception {
        TestServers.BlackHole full = TestServers.BlackHole.open();
        toClose.add(full);
        relay(FixedBackend.of(full.address()));
        resetAfter(300);
        assertTrue(awaitRecord(2000).outcome().endsWith(") while connecting"), closed.toString());
    }

    @Test
    void aClientThatSpeaksWhileResolvingIsServedWhenTheAnswerComes() throws Exception {
        CompletableFuture<List<InetSocketAddress>> answer = new CompletableFuture<>();
        relay(FixedBackend.resolvingWith(connection -> answer));
        TestServers.Server echo = new TestServers.Server(socket -> {
            try (socket) {
                socket.getInputStream().transferTo(socket.getOutputStream());
            } catch (IOException ignored) {
                // closed
            }
        });
        toClose.add(echo);
        try (Socket client = new Socket()) {
            client.connect(relay.listenAddresses().get(0), 2000);
            client.setSoTimeout(5000);
            client.getOutputStream().write("early".getBytes());
            Thread.sleep(200);
            answer.complete(List.of(echo.address()));
            byte[] reply = client.getInputStream().readNBytes(5);
            assertEquals("early", new String(reply));
        }
        assertTrue(closed.isEmpty() || closed.get(0).outcome().equals("closed"), closed.toString());
    }
}
