package org.ambassadord.plugin.consul;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.ambassadord.plugin.consul.kvserver.ConsulKvTestServer;
import org.ambassadord.plugin.consul.kvserver.KvTestClient;
import org.ambassadord.plugin.consul.kvserver.RecordedRequest;
import org.ambassadord.spi.Backend;
import org.ambassadord.spi.BackendSpecException;
import org.ambassadord.spi.ClientConnection;
import org.ambassadord.spi.ProviderContext;
import org.ambassadord.spi.testkit.TestProviderContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tinylog.Logger;

/**
 * The {@code consul} backend against the Consul KV test server: the seed's children/value
 * rule, changes followed through blocking queries, Consul's index rules, ACL tokens, and an
 * agent that goes away and comes back.
 */
class ConsulBackendTest {

    /** Short delays so that failure cases finish quickly. */
    private static final ConsulBackend.Timing FAST =
            new ConsulBackend.Timing(Duration.ofSeconds(1), Duration.ofMillis(100), Duration.ofMillis(800));
    /** A change must reach new connections well under a second; blocking queries make it milliseconds. */
    private static final long PROMPT_MILLIS = 500;
    private static final ClientConnection CLIENT = ClientConnection.of(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000),
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 10000));

    private final List<Backend> opened = new ArrayList<>();
    private ConsulKvTestServer server;
    private KvTestClient kv;
    private TestProviderContext context;

    @BeforeEach
    void startServer() throws IOException {
        server = ConsulKvTestServer.start();
        kv = new KvTestClient(server);
        context = new TestProviderContext();
    }

    @AfterEach
    void stopEverything() {
        opened.forEach(Backend::close);
        context.close();
        server.close();
    }

    @Test
    void initialSetIsTheChildrenWithInvalidValuesSkipped() throws Exception {
        kv.put("app/redis/a", "127.0.0.1:7001");
        kv.put("app/redis/b", "[::1]:7002");
        kv.put("app/redis/c", "no port here");
        kv.put("app/redis/d/deeper", "localhost:7003");
        kv.put("app/redis-cache/x", "127.0.0.1:9999");
        ConsulBackend backend = open("app/redis");

        assertEquals(List.of(endpoint("127.0.0.1", 7001), endpoint("::1", 7002), endpoint("localhost", 7003)),
                resolve(backend));
        assertEquals(java.util.Set.of(10000), backend.listenPorts());
        assertFalse(backend.ordersEndpoints());
    }

    @Test
    void followsAddedAndRemovedChildrenThroughBlockingQueries() throws Exception {
        kv.put("app/web/1", "127.0.0.1:8001");
        ConsulBackend backend = open("app/web");
        assertEquals(List.of(endpoint("127.0.0.1", 8001)), resolve(backend));
        awaitBlockingQuery();

        long start = System.nanoTime();
        kv.put("app/web/2", "127.0.0.1:8002");
        long addMillis = awaitEndpoints(backend, start, endpoint("127.0.0.1", 8001), endpoint("127.0.0.1", 8002));
        assertTrue(addMillis < PROMPT_MILLIS, "an added child took " + addMillis + " ms");

        awaitBlockingQuery();
        start = System.nanoTime();
        kv.delete("app/web/1");
        long removeMillis = awaitEndpoints(backend, start, endpoint("127.0.0.1", 8002));
        assertTrue(removeMillis < PROMPT_MILLIS, "a removed child took " + removeMillis + " ms");
        Logger.info("change latency through blocking queries: add {} ms, remove {} ms", addMillis, removeMillis);

        // Idle: the query blocks instead of polling.
        awaitBlockingQuery();
        int requests = server.requests().size();
        Thread.sleep(500);
        assertEquals(requests, server.requests().size(), "an idle watch must hold one blocking query, not poll");
    }

    @Test
    void switchesBetweenTheValueAndTheChildren() throws Exception {
        kv.put("app/db", "127.0.0.1:5432");
        ConsulBackend backend = open("app/db");
        assertEquals(List.of(endpoint("127.0.0.1", 5432)), resolve(backend));

        kv.put("app/db/replica", "127.0.0.1:5433");
        awaitEndpoints(backend, System.nanoTime(), endpoint("127.0.0.1", 5433));

        kv.deleteTree("app/db/");
        awaitEndpoints(backend, System.nanoTime(), endpoint("127.0.0.1", 5432));

        kv.put("app/db", "127.0.0.1:6432");
        awaitEndpoints(backend, System.nanoTime(), endpoint("127.0.0.1", 6432));
    }

    @Test
    void anEmptySetRefusesConnectionsWithTheReason() throws Exception {
        ConsulBackend backend = open("app/none");
        awaitCondition(() -> backend.snapshot() != null, "the first read");
        ExecutionException refused = assertThrows(ExecutionException.class, () -> resolve(backend));
        assertEquals("no backends in Consul [" + server.address() + "] key [app/none]: no key [app/none] and no keys "
                + "under [app/none/]", refused.getCause().getMessage());

        kv.put("app/none", "127.0.0.1:7000");
        awaitEndpoints(backend, System.nanoTime(), endpoint("127.0.0.1", 7000));
    }

    @Test
    void aConnectionBeforeTheFirstReadWaitsForIt() throws Exception {
        kv.put("app/late", "127.0.0.1:7500");
        server.stop();
        ConsulBackend backend = open("app/late", Map.of(), ConsulBackend.Timing.DEFAULT);
        CompletableFuture<List<InetSocketAddress>> pending = backend.resolve(CLIENT).toCompletableFuture();
        awaitCondition(() -> backend.lastFailure() != null, "a failed first read");
        assertFalse(pending.isDone(), "no answer yet: the connection must wait");

        server.restart();
        assertEquals(List.of(endpoint("127.0.0.1", 7500)), pending.get(5, TimeUnit.SECONDS));
    }

    @Test
    void aConnectionBeforeTheFirstReadFailsAfterTheTimeoutWithTheLastError() throws Exception {
        server.stop();
        ConsulBackend backend = open("app/late");
        long start = System.nanoTime();
        CompletableFuture<List<InetSocketAddress>> pending = backend.resolve(CLIENT).toCompletableFuture();
        ExecutionException failed = assertThrows(ExecutionException.class, () -> pending.get(5, TimeUnit.SECONDS));
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        String message = failed.getCause().getMessage();
        assertTrue(message.startsWith("no answer from Consul [" + server.address() + "] key [app/late] within 1000 ms: "),
                message);
        assertTrue(message.contains("Connect"), "the reason should name the refused connection: " + message);
        assertTrue(tookMillis >= 900 && tookMillis < 3_000, "failed after " + tookMillis + " ms");
    }

    @Test
    void anIndexGoingBackwardsResetsToZeroAndKeepsFollowing() throws Exception {
        kv.put("app/svc/a", "127.0.0.1:7001");
        // A short wait: after a restore Consul holds a query whose index is above its own
        // until the wait ends, and only then answers with the lower index.
        ConsulBackend backend = open("app/svc?wait=1s");
        assertEquals(List.of(endpoint("127.0.0.1", 7001)), resolve(backend));
        awaitBlockingQuery();

        long restored = System.nanoTime();
        server.store().restoreSnapshot(Map.of("app/svc/x", "127.0.0.1:7100"), 3);
        awaitEndpoints(backend, restored, endpoint("127.0.0.1", 7100));
        awaitCondition(() -> server.requests().stream()
                .anyMatch(request -> request.nanoTime() > restored && request.index() == 0), "a query with index=0");
        awaitCondition(() -> server.requests().stream()
                .anyMatch(request -> request.nanoTime() > restored && request.index() == 3), "blocking on the new index");

        long start = System.nanoTime();
        kv.put("app/svc/y", "127.0.0.1:7101");
        long millis = awaitEndpoints(backend, start, endpoint("127.0.0.1", 7100), endpoint("127.0.0.1", 7101));
        assertTrue(millis < PROMPT_MILLIS, "a change after the restore took " + millis + " ms");
    }

    @Test
    void sendsTheAclTokenFromTheEnvironmentAsAHeader() throws Exception {
        kv.put("secure/app", "127.0.0.1:7200");
        server.requireToken("s3cret");
        ConsulBackend backend = open("secure/app", Map.of("CONSUL_HTTP_TOKEN", "s3cret"), FAST);
        assertEquals(List.of(endpoint("127.0.0.1", 7200)), resolve(backend));
        for (RecordedRequest request : providerRequests()) {
            assertEquals("s3cret", request.headerToken(), "every request carries X-Consul-Token");
            assertFalse(request.query().containsKey("token"), "the token must not be in the URL: " + request.query());
        }
    }

    /**
     * Omni mode: a container's {@code consul://} names any agent it likes. The operator's token
     * goes only to the credential hosts; elsewhere the backend reads anonymously.
     */
    @Test
    void aContainersSpecSendsTheTokenOnlyToCredentialHosts() throws Exception {
        kv.put("open/app", "127.0.0.1:7201");
        try (TestProviderContext operator = new TestProviderContext(Map.of("CONSUL_HTTP_TOKEN", "s3cret"))) {
            String spec = "consul://" + server.address() + "/open/app";
            Backend anonymous = new ConsulBackendProvider(FAST).open(spec, operator.forContainer("c1", "web"));
            opened.add(anonymous);
            assertEquals(List.of(endpoint("127.0.0.1", 7201)), resolve(anonymous));
            anonymous.close();
            assertFalse(providerRequests().isEmpty());
            for (RecordedRequest request : providerRequests()) {
                assertEquals(null, request.headerToken(), "no token for a host the operator did not name");
                assertFalse(request.query().containsKey("token"), request.query().toString());
            }

            int before = providerRequests().size();
            operator.containerCredentialHosts(java.util.Set.of("127.0.0.1"));
            Backend trusted = new ConsulBackendProvider(FAST).open(spec, operator.forContainer("c1", "web"));
            opened.add(trusted);
            assertEquals(List.of(endpoint("127.0.0.1", 7201)), resolve(trusted));
            // (A last query of the closed backend may still arrive after [before].)
            List<RecordedRequest> later = providerRequests().subList(before, providerRequests().size());
            assertTrue(later.stream().anyMatch(request -> "s3cret".equals(request.headerToken())),
                    "a credential host gets the token: " + later);
        }
    }

    /**
     * Many specs on one agent share one HTTP client; closing one backend aborts only its own
     * blocking query (promptly: the thread is gone), the others keep following, and the
     * client is closed with the last backend.
     */
    @Test
    void specsOnOneAgentShareOneClientAndCloseIndependently() throws Exception {
        kv.put("shared/a/1", "127.0.0.1:7401");
        kv.put("shared/b/1", "127.0.0.1:7402");
        ConsulBackendProvider provider = new ConsulBackendProvider(FAST);
        Backend a = provider.open("consul://" + server.address() + "/shared/a", context);
        Backend b = provider.open("consul://" + server.address() + "/shared/b", context);
        opened.add(a);
        opened.add(b);
        assertEquals(List.of(endpoint("127.0.0.1", 7401)), resolve(a));
        assertEquals(List.of(endpoint("127.0.0.1", 7402)), resolve(b));
        assertEquals(1, provider.openHttpClients());
        awaitBlockingQuery();

        long start = System.nanoTime();
        a.close();
        long closeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(closeMillis < 1000, "closing a backend blocked on a query took " + closeMillis + " ms");
        assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().endsWith("/shared/a")),
                "the closed backend's watch thread is gone");
        assertEquals(1, provider.openHttpClients(), "still used by the other backend");

        start = System.nanoTime();
        kv.put("shared/b/2", "127.0.0.1:7403");
        awaitEndpoints((ConsulBackend) b, start, endpoint("127.0.0.1", 7402), endpoint("127.0.0.1", 7403));

        b.close();
        assertEquals(0, provider.openHttpClients());
    }

    @Test
    void aRefusedTokenIsTheReasonConnectionsAreRefused() throws Exception {
        kv.put("secure/app", "127.0.0.1:7200");
        server.requireToken("s3cret");
        ConsulBackend backend = open("secure/app", Map.of("CONSUL_HTTP_TOKEN", "wrong"), FAST);
        ExecutionException failed = assertThrows(ExecutionException.class, () -> resolve(backend));
        assertTrue(failed.getCause().getMessage().contains("HTTP 403"), failed.getCause().getMessage());
        assertTrue(failed.getCause().getMessage().contains("[ACL not found]"), failed.getCause().getMessage());
    }

    @Test
    void keepsServingTheLastSetWhileConsulIsDownAndFollowsChangesAfterItReturns() throws Exception {
        kv.put("app/cache/1", "127.0.0.1:7301");
        ConsulBackend backend = open("app/cache");
        assertEquals(List.of(endpoint("127.0.0.1", 7301)), resolve(backend));
        assertNull(backend.lastFailure());

        server.stop();
        awaitCondition(() -> backend.lastFailure() != null, "the watcher to notice Consul is gone");
        for (int i = 0; i < 5; i++) {
            assertEquals(List.of(endpoint("127.0.0.1", 7301)), resolve(backend), "the last set keeps serving");
            Thread.sleep(100);
        }

        // Changed while we could not see it; the first read after the restart must catch up.
        server.store().put("app/cache/2", "127.0.0.1:7302".getBytes(StandardCharsets.UTF_8), 0, null);
        server.restart();
        awaitEndpoints(backend, System.nanoTime(), endpoint("127.0.0.1", 7301), endpoint("127.0.0.1", 7302));

        awaitBlockingQuery();
        long start = System.nanoTime();
        kv.delete("app/cache/1");
        long millis = awaitEndpoints(backend, start, endpoint("127.0.0.1", 7302));
        assertTrue(millis < PROMPT_MILLIS, "a change after the restart took " + millis + " ms");
    }

    @Test
    void doesNotSpinWhenConsulReportsAnIndexThatNeverBlocks() throws Exception {
        kv.put("app/spin", "127.0.0.1:7400");
        // Consul's documented bug: an index of 0. We then ask with index 1, which is below the
        // real index, so every query returns at once.
        server.forceReportedIndex(0L);
        ConsulBackend backend = open("app/spin");
        assertEquals(List.of(endpoint("127.0.0.1", 7400)), resolve(backend));
        Thread.sleep(300);
        int before = server.requests().size();
        Thread.sleep(1_000);
        int perSecond = server.requests().size() - before;
        assertTrue(perSecond >= 2 && perSecond <= 6, perSecond + " queries in one second; expected about 4 (paced)");
        List<RecordedRequest> queries = providerRequests();
        assertEquals(0, queries.get(0).index(), "the first query answers at once");
        assertTrue(queries.stream().skip(1).allMatch(request -> request.index() == 1), "an index below 1 must be sent as 1");
    }

    @Test
    void theDatacenterOptionIsSent() throws Exception {
        kv.put("app/dc", "127.0.0.1:7600");
        ConsulBackend here = open("app/dc?dc=dc1");
        assertEquals(List.of(endpoint("127.0.0.1", 7600)), resolve(here));
        assertEquals("dc1", server.requests().get(server.requests().size() - 1).query().get("dc"));

        ConsulBackend elsewhere = open("app/dc?dc=eu-west");
        ExecutionException failed = assertThrows(ExecutionException.class, () -> resolve(elsewhere));
        assertTrue(failed.getCause().getMessage().contains("HTTP 500"), failed.getCause().getMessage());
        assertTrue(failed.getCause().getMessage().contains("No path to datacenter"), failed.getCause().getMessage());
    }

    @Test
    void talksToAnAgentOnAnIpv6Address() throws Exception {
        try (ConsulKvTestServer v6 = ConsulKvTestServer.start(InetAddress.getByName("::1"))) {
            new KvTestClient(v6).put("app/v6", "[::1]:7800");
            Backend backend = new ConsulBackendProvider(FAST).open("consul://" + v6.address() + "/app/v6", context);
            opened.add(backend);
            assertTrue(v6.address().startsWith("[0:0:0:0:0:0:0:1]:"), v6.address());
            assertEquals(List.of(endpoint("::1", 7800)), resolve(backend));
        }
    }

    @Test
    void closeEndsTheWatcherDuringABlockingQuery() throws Exception {
        kv.put("app/close", "127.0.0.1:7700");
        ConsulBackend backend = open("app/close");
        assertEquals(List.of(endpoint("127.0.0.1", 7700)), resolve(backend));
        awaitBlockingQuery();

        long start = System.nanoTime();
        backend.close();
        backend.watcherThread().join(2_000);
        assertFalse(backend.watcherThread().isAlive(), "the watcher thread must end");
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2));
        ExecutionException closed = assertThrows(ExecutionException.class, () -> resolve(backend));
        assertTrue(closed.getCause().getMessage().contains("is closed"), closed.getCause().getMessage());
    }

    /**
     * Issue 21: a container's spec may name any agent, and the agent is held to the rules of
     * its endpoints: one on a denied address (here loopback, as for every container-chosen
     * spec) is never asked, and the backend refuses connections with the rule.
     */
    @Test
    void aContainersAgentOnADeniedAddressIsNeverAsked() throws Exception {
        kv.put("held/web/a", "127.0.0.1:7001");
        ProviderContext container = new ProviderContext() {
            @Override
            public Backend open(String spec) throws BackendSpecException {
                return context.open(spec);
            }

            @Override
            public java.util.concurrent.ScheduledExecutorService scheduler() {
                return context.scheduler();
            }

            @Override
            public Map<String, String> environment() {
                return context.environment();
            }

            @Override
            public Optional<String> controlDenial(InetSocketAddress address) {
                return address.getAddress().isLoopbackAddress()
                        ? Optional.of("loopback, denied for container-chosen specs") : Optional.empty();
            }
        };
        Backend backend = new ConsulBackendProvider(FAST).open("consul://" + server.address() + "/held/web", container);
        opened.add(backend);
        ExecutionException refused = assertThrows(ExecutionException.class, () -> resolve(backend));
        String why = refused.getCause().getMessage() + " / " + backend.describeState();
        assertTrue(why.contains("agent [127.0.0.1:" + server.port() + "] is at [127.0.0.1]: loopback, denied for"
                + " container-chosen specs"), why);
        assertTrue(providerRequests().isEmpty(), "the denied agent was asked: " + providerRequests());
    }

    /** Issue 21: a value longer than a backend list may be is skipped; its siblings still serve. */
    @Test
    void aHugeValueIsSkippedAndItsSiblingsServe() throws Exception {
        kv.put("huge/web/a", "127.0.0.1:7001");
        kv.put("huge/web/b", "127.0.0.1:7002," + "x".repeat(200_000));
        ConsulBackend backend = open("huge/web");
        assertEquals(List.of(endpoint("127.0.0.1", 7001)), resolve(backend));
        assertTrue(backend.counters().get("consul_values_refused") >= 1, backend.counters().toString());
        assertEquals(0L, backend.counters().get("consul_answers_refused"), backend.counters().toString());
    }

    /**
     * Issue 21: an agent's error body is its own text (a container may have chosen the agent):
     * what the backend reports of it shows a newline and a terminal escape as escapes, capped.
     */
    @Test
    void anAgentsErrorBodyIsEscaped() throws Exception {
        com.sun.net.httpserver.HttpServer agent = com.sun.net.httpserver.HttpServer.create(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] body = ("No cluster leader\n2026-12-03 08:00:00.000 INFO  [main] FORGED\u001b[2J" + "z".repeat(4_000))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        agent.createContext("/", exchange -> {
            exchange.sendResponseHeaders(500, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        agent.start();
        try {
            Backend backend = new ConsulBackendProvider(FAST)
                    .open("consul://127.0.0.1:" + agent.getAddress().getPort() + "/app/web", context);
            opened.add(backend);
            assertThrows(ExecutionException.class, () -> resolve(backend));
            String reported = ((ConsulBackend) backend).lastFailure() + " / " + backend.describeState();
            assertTrue(reported.contains("No cluster leader\\n2026-12-03"), reported);
            assertTrue(reported.contains("FORGED\\u001b[2J"), reported);
            assertTrue(reported.chars().noneMatch(c -> c < 0x20), "a control character got through: " + reported);
            assertTrue(reported.length() < 2_000, "the body was not capped: " + reported.length() + " chars");
        } finally {
            agent.stop(0);
        }
    }

    /**
     * Issue 21: an agent (one a container may have named) that answers with more than the
     * cap is refused like an agent that does not answer, without reading it all into memory.
     */
    @Test
    void anAnswerAboveTheCapIsRefused() throws Exception {
        int values = (int) (AnswerSizeCap.MAX_ANSWER_BYTES / 40_000) + 8;
        for (int i = 0; i < values; i++) {
            kv.put("big/web/" + i, "127.0.0.1:" + (7000 + i % 1000) + "," + "y".repeat(30_000));
        }
        ConsulBackend backend = open("big/web");
        ExecutionException refused = assertThrows(ExecutionException.class, () -> resolve(backend));
        assertTrue(String.valueOf(refused.getCause().getMessage()).contains("longer than 4 MiB")
                || backend.describeState().contains("longer than 4 MiB"), backend.describeState() + " / " + refused.getCause());
        assertTrue(backend.counters().get("consul_answers_refused") >= 1, backend.counters().toString());
    }

    private ConsulBackend open(String keyAndOptions) throws BackendSpecException {
        return open(keyAndOptions, Map.of(), FAST);
    }

    private ConsulBackend open(String keyAndOptions, Map<String, String> environment, ConsulBackend.Timing timing)
            throws BackendSpecException {
        TestProviderContext withEnvironment = environment.isEmpty() ? context : new TestProviderContext(environment);
        Backend backend = new ConsulBackendProvider(timing)
                .open("consul://" + server.address() + "/" + keyAndOptions, withEnvironment);
        opened.add(backend);
        if (withEnvironment != context) {
            opened.add(new ClosingBackend(withEnvironment));
        }
        return (ConsulBackend) backend;
    }

    /** The backend's queries: the test itself writes with PUT and DELETE. */
    private List<RecordedRequest> providerRequests() {
        return server.requests().stream().filter(request -> request.method().equals("GET")).toList();
    }

    /** Resolves as the relay would, waiting at most a few seconds for a pending answer. */
    private static List<InetSocketAddress> resolve(Backend backend) throws Exception {
        return backend.resolve(CLIENT).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private static long awaitEndpoints(Backend backend, long start, InetSocketAddress... expected) throws Exception {
        return EndpointAwait.endpoints(backend, CLIENT, start, Duration.ofSeconds(5), expected);
    }

    /** Waits until the backend holds a blocking query (one with an index) on the server. */
    private void awaitBlockingQuery() throws InterruptedException {
        int seen = server.requests().size();
        awaitCondition(() -> server.requests().stream().skip(Math.max(0, seen - 1)).anyMatch(r -> r.index() > 0),
                "a blocking query");
        // Let the handler reach its wait before the test writes.
        Thread.sleep(50);
    }

    private static void awaitCondition(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    private static InetSocketAddress endpoint(String host, int port) throws IOException {
        return new InetSocketAddress(InetAddress.getByName(host), port);
    }

    /** Closes an extra test context together with the backends. */
    private record ClosingBackend(TestProviderContext context) implements Backend {
        @Override
        public java.util.concurrent.CompletionStage<List<InetSocketAddress>> resolve(ClientConnection connection) {
            throw new UnsupportedOperationException();
        }

        @Override
        public java.util.Set<Integer> listenPorts() {
            return java.util.Set.of();
        }

        @Override
        public void close() {
            context.close();
        }
    }
}
