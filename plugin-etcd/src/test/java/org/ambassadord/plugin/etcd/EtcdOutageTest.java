package org.ambassadord.plugin.etcd;

import static org.ambassadord.plugin.etcd.BackendProbe.CHANGE_DEADLINE;
import static org.ambassadord.plugin.etcd.BackendProbe.awaitEndpoints;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The etcd backend while its etcd is killed, frozen or not yet started: the last known set
 * keeps routing, and once etcd answers again its changes are followed. One etcd per test,
 * since every test takes it down.
 */
class EtcdOutageTest {

    private static final String PATH = "/services/redis";
    /** Reconnecting after etcd is back: a few backoff rounds plus etcd's own start. */
    private static final Duration RECOVERY_DEADLINE = Duration.ofSeconds(10);

    private final List<ServerSocket> backends = new ArrayList<>();
    private EtcdServer etcd;
    private ScheduledExecutorService scheduler;
    private EtcdBackend backend;

    @BeforeEach
    void startEtcd() throws Exception {
        etcd = EtcdServer.startNew();
        scheduler = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterEach
    void stopEverything() throws Exception {
        if (backend != null) {
            backend.close();
        }
        scheduler.shutdownNow();
        etcd.close();
        for (ServerSocket socket : backends) {
            socket.close();
        }
    }

    @Test
    void aKilledEtcdLeavesTheLastSetRoutingAndARestartedOneIsFollowedAgain() throws Exception {
        String first = listeningBackend();
        String second = listeningBackend();
        etcd.put(PATH + "/1", first);
        etcd.put(PATH + "/2", second);
        backend = open();
        awaitEndpoints(backend, Duration.ofSeconds(5), BackendProbe.addresses(first, second));

        etcd.kill();
        // Several backoff rounds (100 ms doubling to 500 ms) go by; every connection meanwhile
        // still gets the last set, and the backends behind it accept connections.
        long until = System.nanoTime() + Duration.ofMillis(1500).toNanos();
        while (System.nanoTime() < until) {
            assertRoutes(BackendProbe.resolve(backend), Set.of(first, second));
            Thread.sleep(100);
        }
        assertTrue(backend.watcher().reads() > 2, "reconnection attempts while etcd is down: " + backend.watcher().reads());

        etcd.start();
        String third = listeningBackend();
        etcd.put(PATH + "/3", third);
        etcd.delete(PATH + "/1");
        awaitEndpoints(backend, RECOVERY_DEADLINE, BackendProbe.addresses(second, third));

        // Reconnected and watching again: the next change arrives within a second.
        etcd.delete(PATH + "/2");
        awaitEndpoints(backend, CHANGE_DEADLINE, BackendProbe.addresses(third));
        assertRoutes(BackendProbe.resolve(backend), Set.of(third));
    }

    @Test
    void aFrozenEtcdIsNoticedByTheQuietWatchCheckAndFollowedWhenItThaws() throws Exception {
        etcd.put(PATH + "/1", "127.0.0.1:7801");
        backend = open();
        awaitEndpoints(backend, Duration.ofSeconds(5), BackendProbe.addresses("127.0.0.1:7801"));
        long readsBefore = backend.watcher().reads();

        // SIGSTOP: the TCP connection stays open, so no error reaches the watch; only the
        // unanswered progress request shows that nobody is listening.
        etcd.pause();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (backend.watcher().reads() == readsBefore && System.nanoTime() < deadline) {
                assertFalse(BackendProbe.resolve(backend).isCompletedExceptionally(), "the last set keeps serving");
                Thread.sleep(20);
            }
            assertTrue(backend.watcher().reads() > readsBefore, "the silent watch was replaced by a read");
            awaitEndpoints(backend, Duration.ZERO, BackendProbe.addresses("127.0.0.1:7801"));
        } finally {
            etcd.resume();
        }

        etcd.put(PATH + "/2", "127.0.0.1:7802");
        awaitEndpoints(backend, RECOVERY_DEADLINE, BackendProbe.addresses("127.0.0.1:7801", "127.0.0.1:7802"));
    }

    @Test
    void startedWhileEtcdIsDownItRefusesAfterTheWaitThenServesOnceEtcdIsUp() throws Exception {
        etcd.put(PATH, "127.0.0.1:7901");
        etcd.kill();
        backend = open();

        CompletableFuture<List<InetSocketAddress>> waiting = BackendProbe.resolve(backend);
        assertFalse(waiting.isDone(), "a connection before the first read waits for it");
        assertFalse(backend.isReady(), "not ready (/readyz) before etcd answered");
        ExecutionException refused = assertThrows(ExecutionException.class,
                () -> waiting.get(EtcdBackendTest.FAST.firstReadWait().toMillis() + 2000, TimeUnit.MILLISECONDS));
        assertTrue(refused.getCause() instanceof TimeoutException, "timed out: " + refused.getCause());
        assertTrue(refused.getCause().getMessage().contains("[" + etcd.endpoint() + "] has not answered for [" + PATH + "]"),
                refused.getCause().getMessage());

        etcd.start();
        awaitEndpoints(backend, RECOVERY_DEADLINE, BackendProbe.addresses("127.0.0.1:7901"));
        assertEquals(List.of(new InetSocketAddress("127.0.0.1", 7901)), BackendProbe.resolve(backend).getNow(null));
        assertTrue(backend.isReady(), "ready once etcd answered");
    }

    private EtcdBackend open() throws Exception {
        return EtcdBackend.open(EtcdSpecParser.parse("etcd://" + etcd.endpoint() + PATH), EtcdBackendTest.FAST, scheduler);
    }

    /** A real backend on loopback; returns its {@code host:port}. */
    private String listeningBackend() throws IOException {
        ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        backends.add(socket);
        return "127.0.0.1:" + socket.getLocalPort();
    }

    /** The answer is exactly {@code expected}, and each of its addresses accepts a connection. */
    private static void assertRoutes(CompletableFuture<List<InetSocketAddress>> answer, Set<String> expected)
            throws Exception {
        assertTrue(answer.isDone() && !answer.isCompletedExceptionally(), "answered at once: " + BackendProbe.describe(answer));
        Set<String> seen = new HashSet<>();
        for (InetSocketAddress address : answer.get()) {
            try (Socket socket = new Socket()) {
                socket.connect(address, 1000);
            }
            seen.add(address.getAddress().getHostAddress() + ":" + address.getPort());
        }
        assertEquals(expected, seen);
    }
}
