package org.ambassadord.plugin.etcd;

import static org.ambassadord.plugin.etcd.BackendProbe.CHANGE_DEADLINE;
import static org.ambassadord.plugin.etcd.BackendProbe.addresses;
import static org.ambassadord.plugin.etcd.BackendProbe.awaitEndpoints;
import static org.ambassadord.plugin.etcd.BackendProbe.awaitRefusal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The etcd backend against one real etcd: reading, following changes within a second, the
 * children-or-value rule, invalid values, compaction and the quiet-watch heartbeat. Each test
 * works under its own key path.
 */
class EtcdBackendTest {

    /** Short timings, so that a heartbeat round takes a second rather than half a minute. */
    static final EtcdTimings FAST = new EtcdTimings(
            Duration.ofSeconds(1),
            Duration.ofMillis(100),
            Duration.ofMillis(500),
            Duration.ofMillis(700),
            Duration.ofMinutes(5),
            Duration.ofSeconds(1));
    private static final Duration FIRST_READ = Duration.ofSeconds(5);

    private static EtcdServer etcd;
    private static ScheduledExecutorService scheduler;
    private EtcdBackend backend;
    private String path;

    @BeforeAll
    static void startEtcd() throws Exception {
        etcd = EtcdServer.startNew();
        scheduler = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterAll
    static void stopEtcd() throws Exception {
        scheduler.shutdownNow();
        etcd.close();
    }

    @AfterEach
    void closeBackend() {
        if (backend != null) {
            backend.close();
        }
    }

    private EtcdBackend open(TestInfo test) throws Exception {
        path = "/ambassadord-test/" + test.getTestMethod().orElseThrow().getName();
        backend = EtcdBackend.open(EtcdSpecParser.parse("etcd://" + etcd.endpoint() + path), FAST, scheduler);
        return backend;
    }

    @Test
    void childrenAreTheBackendsAndAddedOrRemovedChildrenApplyWithinASecond(TestInfo test) throws Exception {
        etcd.put("/ambassadord-test/childrenAreTheBackendsAndAddedOrRemovedChildrenApplyWithinASecond/a", "127.0.0.1:7001");
        etcd.put("/ambassadord-test/childrenAreTheBackendsAndAddedOrRemovedChildrenApplyWithinASecond/b", "127.0.0.1:7002");
        open(test);
        // Asked before the first read has answered: the future completes once it has.
        List<InetSocketAddress> first = BackendProbe.resolve(backend).get(FIRST_READ.toMillis(), TimeUnit.MILLISECONDS);
        assertEquals(addresses("127.0.0.1:7001", "127.0.0.1:7002"), Set.copyOf(first));
        assertTrue(backend.describeState().matches("etcd key \\[" + path + "\\] read at revision [1-9]\\d*, then watched"),
                backend.describeState());

        etcd.put(path + "/c", "127.0.0.1:7003");
        awaitEndpoints(backend, CHANGE_DEADLINE, addresses("127.0.0.1:7001", "127.0.0.1:7002", "127.0.0.1:7003"));

        etcd.delete(path + "/a");
        awaitEndpoints(backend, CHANGE_DEADLINE, addresses("127.0.0.1:7002", "127.0.0.1:7003"));

        etcd.put(path + "/b", "127.0.0.1:7012");
        awaitEndpoints(backend, CHANGE_DEADLINE, addresses("127.0.0.1:7012", "127.0.0.1:7003"));

        // Deeper keys are children too; a sibling that merely shares the prefix is not.
        etcd.put(path + "/zone-1/d", "127.0.0.1:7004");
        etcd.put(path + "-old", "127.0.0.1:7999");
        etcd.put(path + ".bak/e", "127.0.0.1:7998");
        awaitEndpoints(backend, CHANGE_DEADLINE, addresses("127.0.0.1:7012", "127.0.0.1:7003", "127.0.0.1:7004"));
    }

    /**
     * Issue 21: a container's spec may name any etcd, and its endpoints are held to the rules
     * of backends: one on a denied address is never connected to, and the backend says why.
     */
    @Test
    void anEndpointOnADeniedAddressIsNeverConnectedTo(TestInfo test) throws Exception {
        String path = "/ambassadord-test/" + test.getTestMethod().orElseThrow().getName();
        etcd.put(path + "/a", "127.0.0.1:7301");
        EtcdClientPool clients = new EtcdClientPool(EtcdClients::connect);
        EtcdBackend denied = EtcdBackend.open(EtcdSpecParser.parse("etcd://" + etcd.endpoint() + path), FAST, scheduler,
                clients, endpoint -> java.util.Optional.of("[" + endpoint + "] is loopback, denied for container-chosen specs"));
        try {
            Thread.sleep(FAST.requestTimeout().toMillis());
            assertEquals(0, clients.openClients(), "a client was made for a denied endpoint");
            assertEquals("etcd has not answered yet", denied.describeState());
        } finally {
            denied.close();
        }
    }

    /**
     * Omni mode may open many specs on one cluster: they share one jetcd client (one gRPC
     * channel), each closes independently, and the client goes with the last of them.
     */
    @Test
    void specsOnOneEndpointShareOneClient(TestInfo test) throws Exception {
        String base = "/ambassadord-test/" + test.getTestMethod().orElseThrow().getName();
        etcd.put(base + "/a/1", "127.0.0.1:7201");
        etcd.put(base + "/b/1", "127.0.0.1:7202");
        EtcdClientPool clients = new EtcdClientPool(EtcdClients::connect);
        EtcdBackend a = EtcdBackend.open(EtcdSpecParser.parse("etcd://" + etcd.endpoint() + base + "/a"), FAST, scheduler, clients);
        EtcdBackend b = EtcdBackend.open(EtcdSpecParser.parse("etcd://" + etcd.endpoint() + base + "/b"), FAST, scheduler, clients);
        try {
            awaitEndpoints(a, FIRST_READ, addresses("127.0.0.1:7201"));
            awaitEndpoints(b, FIRST_READ, addresses("127.0.0.1:7202"));
            assertEquals(1, clients.openClients());

            a.close();
            etcd.put(base + "/b/2", "127.0.0.1:7203");
            awaitEndpoints(b, CHANGE_DEADLINE, addresses("127.0.0.1:7202", "127.0.0.1:7203"));
            assertEquals(1, clients.openClients(), "still watched through by the other spec");
        } finally {
            a.close();
            b.close();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (clients.openClients() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(0, clients.openClients(), "closed with its last spec");
    }

    @Test
    void theValueAtThePathServesUntilChildrenAppearAndAgainWhenTheyAreGone(TestInfo test) throws Exception {
        etcd.put("/ambassadord-test/theValueAtThePathServesUntilChildrenAppearAndAgainWhenTheyAreGone",
                "127.0.0.1:7101,[::1]:7102");
        open(test);
        awaitEndpoints(backend, FIRST_READ, addresses("127.0.0.1:7101", "[::1]:7102"));

        etcd.put(path + "/x", "127.0.0.1:7111");
        awaitEndpoints(backend, CHANGE_DEADLINE, addresses("127.0.0.1:7111"));

        etcd.delete(path + "/x");
        awaitEndpoints(backend, CHANGE_DEADLINE, addresses("127.0.0.1:7101", "[::1]:7102"));

        etcd.put(path, "127.0.0.1:7103");
        awaitEndpoints(backend, CHANGE_DEADLINE, addresses("127.0.0.1:7103"));
    }

    @Test
    void invalidValuesAreSkippedAndHostNamesResolvedOffTheLoop(TestInfo test) throws Exception {
        String base = "/ambassadord-test/invalidValuesAreSkippedAndHostNamesResolvedOffTheLoop";
        etcd.put(base + "/no-port", "127.0.0.1");
        etcd.put(base + "/bad-port", "127.0.0.1:99999");
        etcd.put(base + "/url", "tcp://127.0.0.1:6379");
        etcd.put(base + "/unknown-name", "no-such-host.invalid:6379");
        etcd.put(base + "/good", " 127.0.0.1:7201\n");
        etcd.put(base + "/name", "localhost:7202");
        open(test);

        List<InetSocketAddress> answer = waitForAnswer();
        assertTrue(answer.contains(new InetSocketAddress("127.0.0.1", 7201)), "good value served: " + answer);
        assertTrue(answer.stream().anyMatch(address -> address.getPort() == 7202 && address.getAddress().isLoopbackAddress()),
                "localhost resolved: " + answer);
        assertTrue(answer.stream().noneMatch(InetSocketAddress::isUnresolved), "all resolved: " + answer);
        assertEquals(2, answer.size(), "only the two valid values: " + answer);
    }

    @Test
    void aPathWithoutBackendsRefusesConnectionsSayingSo(TestInfo test) throws Exception {
        open(test);
        awaitRefusal(backend, FIRST_READ, "has no backends");

        etcd.put(path + "/a", "127.0.0.1:7301");
        awaitEndpoints(backend, CHANGE_DEADLINE, addresses("127.0.0.1:7301"));

        etcd.delete(path + "/a");
        awaitRefusal(backend, CHANGE_DEADLINE, "[" + path + "]");
    }

    @Test
    void aWatchFromACompactedRevisionReadsAgain(TestInfo test) throws Exception {
        open(test);
        etcd.put(path + "/a", "127.0.0.1:7401");
        awaitEndpoints(backend, FIRST_READ, addresses("127.0.0.1:7401"));
        long oldRevision = etcd.revision();

        etcd.put(path + "/a", "127.0.0.1:7402");
        etcd.put(path + "/b", "127.0.0.1:7403");
        awaitEndpoints(backend, CHANGE_DEADLINE, addresses("127.0.0.1:7402", "127.0.0.1:7403"));
        etcd.compact(etcd.revision());
        long readsBefore = backend.watcher().reads();

        // As jetcd's own resume would after an outage: ask for history that is gone.
        backend.watcher().watchFrom(oldRevision);
        long deadline = System.nanoTime() + CHANGE_DEADLINE.toNanos();
        while (backend.watcher().reads() == readsBefore && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(readsBefore + 1, backend.watcher().reads(), "the compacted watch is replaced by a read");

        etcd.put(path + "/c", "127.0.0.1:7404");
        awaitEndpoints(backend, CHANGE_DEADLINE, addresses("127.0.0.1:7402", "127.0.0.1:7403", "127.0.0.1:7404"));
    }

    @Test
    void aQuietHealthyWatchAnswersProgressRequestsAndIsKept(TestInfo test) throws Exception {
        etcd.put("/ambassadord-test/aQuietHealthyWatchAnswersProgressRequestsAndIsKept/a", "127.0.0.1:7501");
        open(test);
        awaitEndpoints(backend, FIRST_READ, addresses("127.0.0.1:7501"));

        // Four quiet periods without a change: a watch that did not answer its progress
        // requests would have been replaced (read again) at least once.
        Thread.sleep(4 * FAST.quietPeriod().toMillis());
        assertEquals(1, backend.watcher().reads(), "the quiet watch stays");

        etcd.put(path + "/b", "127.0.0.1:7502");
        awaitEndpoints(backend, CHANGE_DEADLINE, addresses("127.0.0.1:7501", "127.0.0.1:7502"));
    }

    @Test
    void severalEndpointsWithADeadOneAndIpv6AreTriedInTurn() throws Exception {
        path = "/ambassadord-test/severalEndpoints";
        etcd.put(path + "/a", "127.0.0.1:7701");
        // Port 1 refuses; jetcd moves on to the next endpoint, reached over IPv6.
        backend = EtcdBackend.open(EtcdSpecParser.parse("etcd://127.0.0.1:1," + etcd.ipv6Endpoint() + path), FAST, scheduler);
        awaitEndpoints(backend, FIRST_READ, addresses("127.0.0.1:7701"));
        etcd.put(path + "/b", "127.0.0.1:7702");
        awaitEndpoints(backend, CHANGE_DEADLINE, addresses("127.0.0.1:7701", "127.0.0.1:7702"));
    }

    @Test
    void closeIsIdempotentAndEndsTheWatcherThread(TestInfo test) throws Exception {
        etcd.put("/ambassadord-test/closeIsIdempotentAndEndsTheWatcherThread", "127.0.0.1:7601");
        open(test);
        awaitEndpoints(backend, FIRST_READ, addresses("127.0.0.1:7601"));
        String threadName = "etcd-watch " + path;
        assertTrue(watcherThreadAlive(threadName), "watcher thread [" + threadName + "] runs");

        backend.close();
        backend.close();
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (watcherThreadAlive(threadName) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertFalse(watcherThreadAlive(threadName), "watcher thread ended after close()");
    }

    private static boolean watcherThreadAlive(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(thread -> thread.getName().equals(name) && thread.isAlive());
    }

    private List<InetSocketAddress> waitForAnswer() throws Exception {
        long deadline = System.nanoTime() + FIRST_READ.toNanos();
        while (System.nanoTime() < deadline) {
            var answer = BackendProbe.resolve(backend);
            if (answer.isDone() && !answer.isCompletedExceptionally()) {
                return answer.get();
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no answer within " + FIRST_READ + "; etcd log:\n" + etcd.logTail());
    }
}
