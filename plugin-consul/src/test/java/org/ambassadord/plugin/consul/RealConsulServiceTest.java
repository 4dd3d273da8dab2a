package org.ambassadord.plugin.consul;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.ambassadord.spi.Backend;
import org.ambassadord.spi.ClientConnection;
import org.ambassadord.spi.testkit.ConsulAgent;
import org.ambassadord.spi.testkit.TestProviderContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code consul-service://} against a real Consul 1.8.7 agent (issue 23): instances registered
 * through the agent API with TTL checks; only healthy ones serve, a check going critical or
 * maintenance mode removes an instance from new connections within 2 s and passing restores it,
 * tags filter (all must match), weights reach the balancer, {@code health=warning|any}, an
 * unknown datacenter is an error (not an empty set) that keeps the last set serving.
 */
class RealConsulServiceTest {

    private static final ConsulBackend.Timing FAST =
            new ConsulBackend.Timing(Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofMillis(800));
    private static final ClientConnection CLIENT = ClientConnection.of(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000),
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 10000));

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private ConsulAgent consul;

    @BeforeEach
    void startConsul() throws Exception {
        consul = ConsulAgent.start();
        toClose.add(consul);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    @Test
    void onlyHealthyInstancesServeAndChecksMoveThemWithinTwoSeconds() throws Exception {
        register("web-1", "web", "127.0.0.1", 8001, List.of("v1"), "passing", null);
        register("web-2", "web", "127.0.0.2", 8002, List.of("v1", "canary"), "passing", null);
        register("web-3", "web", "127.0.0.3", 8003, List.of("v1"), "critical", null);
        ServiceBackend backend = open("web");
        assertEquals(Set.of(endpoint("127.0.0.1", 8001), endpoint("127.0.0.2", 8002)), new HashSet<>(resolve(backend)));

        long start = System.nanoTime();
        check("web-1", "fail");
        await(backend, Set.of(endpoint("127.0.0.2", 8002)), start, "a check going critical");
        start = System.nanoTime();
        check("web-1", "pass");
        check("web-3", "pass");
        await(backend, Set.of(endpoint("127.0.0.1", 8001), endpoint("127.0.0.2", 8002), endpoint("127.0.0.3", 8003)),
                start, "checks passing again");
        start = System.nanoTime();
        request("PUT", "/v1/agent/service/maintenance/web-2?enable=true&reason=test", null);
        await(backend, Set.of(endpoint("127.0.0.1", 8001), endpoint("127.0.0.3", 8003)), start, "maintenance mode");
        assertTrue(backend.describeState().contains("1 filtered out by health"), backend.describeState());

        ServiceBackend any = open("web?health=any");
        assertEquals(Set.of(endpoint("127.0.0.1", 8001), endpoint("127.0.0.3", 8003)), new HashSet<>(resolve(any)),
                "maintenance removes an instance even with health=any");
        ServiceBackend canary = open("web?tag=v1&tag=canary&health=any");
        assertEquals(List.of(), resolveOrEmpty(canary), "the only canary is in maintenance");
        request("PUT", "/v1/agent/service/maintenance/web-2?enable=false", null);
        await(canary, Set.of(endpoint("127.0.0.2", 8002)), System.nanoTime(), "maintenance off");
    }

    @Test
    void warningInstancesServeOnlyWhenAskedAndWeightsReachTheBalancer() throws Exception {
        register("api-1", "api", "127.0.0.1", 9001, List.of(), "passing", Map.of("Passing", 1, "Warning", 1));
        register("api-2", "api", "127.0.0.2", 9002, List.of(), "passing", Map.of("Passing", 3, "Warning", 1));
        register("api-3", "api", "127.0.0.3", 9003, List.of(), "warning", Map.of("Passing", 5, "Warning", 2));
        ServiceBackend passing = open("api");
        assertEquals(Set.of(endpoint("127.0.0.1", 9001), endpoint("127.0.0.2", 9002)), new HashSet<>(resolve(passing)));
        assertEquals(1, passing.weightOf(endpoint("127.0.0.1", 9001)));
        assertEquals(3, passing.weightOf(endpoint("127.0.0.2", 9002)));
        ServiceBackend warning = open("api?health=warning");
        assertEquals(3, resolve(warning).size());
        assertEquals(2, warning.weightOf(endpoint("127.0.0.3", 9003)), "a warning instance weighs Weights.Warning");
    }

    @Test
    void anUnknownDatacenterIsAnErrorNotAnEmptySet() throws Exception {
        register("db-1", "db", "127.0.0.1", 5432, List.of(), "passing", null);
        ServiceBackend backend = open("db?dc=nowhere");
        ExecutionException refused = assertThrows(ExecutionException.class, () -> resolve(backend));
        assertTrue(refused.getCause().getMessage().contains("HTTP 500"), refused.getCause().getMessage());
        assertTrue(backend.counters().get("consul_query_errors") >= 1, backend.counters().toString());
    }

    /** node-meta and filter are Consul's to apply: a node meta no node has selects nothing, a filter one instance. */
    @Test
    void nodeMetaAndFilterReachConsul() throws Exception {
        register("web-1", "web", "127.0.0.1", 8001, List.of(), "passing", null);
        register("web-2", "web", "127.0.0.2", 8002, List.of(), "passing", null);
        assertEquals(List.of(), resolveOrEmpty(open("web?node-meta=rack:nowhere")));
        assertEquals(List.of(endpoint("127.0.0.2", 8002)), resolve(open("web?filter=Service.Port%20==%208002")));
    }

    /**
     * A thousand instances are read and followed: one check failing takes its instance out of
     * new connections within 2 s, on the watcher's thread (the loop only reads what it published).
     */
    @Test
    void aThousandInstancesAreFollowed() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<?>> registered = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                int n = i;
                registered.add(pool.submit(() -> {
                    register("big-" + n, "big", "10.9." + n / 250 + "." + (n % 250 + 1), 7000, List.of(), "passing", null);
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> done : registered) {
                done.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdown();
        }
        ServiceBackend backend = open("big");
        long started = System.nanoTime();
        while (resolveOrEmpty(backend).size() < 1000) {
            assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(10), backend.describeState());
            Thread.sleep(20);
        }
        long start = System.nanoTime();
        check("big-500", "fail");
        while (resolveOrEmpty(backend).contains(endpoint("10.9.2.1", 7000))) {
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2), "the failed instance still serves");
            Thread.sleep(20);
        }
        assertEquals(999, resolve(backend).size());
    }

    /** Consul killed: the last healthy set serves; an empty agent on the same port: changes flow again. */
    @Test
    void theLastSetServesWhileConsulIsDownAndChangesFlowAfterItReturns() throws Exception {
        register("cache-1", "cache", "127.0.0.1", 6379, List.of(), "passing", null);
        ServiceBackend backend = open("cache");
        assertEquals(List.of(endpoint("127.0.0.1", 6379)), resolve(backend));
        consul.stop();
        Thread.sleep(1_500);
        assertEquals(List.of(endpoint("127.0.0.1", 6379)), resolve(backend), "the last set while Consul is down");
        assertTrue(backend.counters().get("consul_query_errors") >= 1, backend.counters().toString());
        consul.restart();
        register("cache-2", "cache", "127.0.0.2", 6379, List.of(), "passing", null);
        long start = System.nanoTime();
        while (!new HashSet<>(resolveOrEmpty(backend)).equals(Set.of(endpoint("127.0.0.2", 6379)))) {
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(15), "no change after Consul returned: "
                    + backend.describeState());
            Thread.sleep(50);
        }
    }

    /**
     * Under default-deny ACLs, a token whose policy allows {@code service:read} (and the
     * {@code node:read} Consul needs to name a service's nodes) reads the service; without a
     * token nothing is visible, an empty set rather than an error.
     */
    @Test
    void aServiceReadTokenReadsUnderDefaultDeny() throws Exception {
        ConsulAgent secured = ConsulAgent.startWithAcls();
        toClose.add(secured);
        ConsulAgent.Answer policy = secured.request("PUT", "/v1/acl/policy", ("{\"Name\":\"web-read\",\"Rules\":"
                + "\"service \\\"web\\\" { policy = \\\"read\\\" } node_prefix \\\"\\\" { policy = \\\"read\\\" }\"}")
                .getBytes(StandardCharsets.UTF_8), secured.managementToken());
        assertEquals(200, policy.status(), policy.text());
        ConsulAgent.Answer token = secured.request("PUT", "/v1/acl/token",
                "{\"Policies\":[{\"Name\":\"web-read\"}]}".getBytes(StandardCharsets.UTF_8), secured.managementToken());
        assertEquals(200, token.status(), token.text());
        String secret = com.google.gson.JsonParser.parseString(token.text()).getAsJsonObject().get("SecretID").getAsString();
        ConsulAgent.Answer registered = secured.request("PUT", "/v1/agent/service/register",
                "{\"ID\":\"web-1\",\"Name\":\"web\",\"Address\":\"127.0.0.1\",\"Port\":8001}".getBytes(StandardCharsets.UTF_8),
                secured.managementToken());
        assertEquals(200, registered.status(), registered.text());

        TestProviderContext withToken = new TestProviderContext(Map.of("CONSUL_HTTP_TOKEN", secret));
        toClose.add(withToken::close);
        Backend reader = new ConsulServiceProvider(FAST).open("consul-service://" + secured.address() + "/web", withToken);
        toClose.add(reader::close);
        assertEquals(List.of(endpoint("127.0.0.1", 8001)), resolve(reader));

        TestProviderContext anonymous = new TestProviderContext(Map.of());
        toClose.add(anonymous::close);
        Backend blind = new ConsulServiceProvider(FAST).open("consul-service://" + secured.address() + "/web", anonymous);
        toClose.add(blind::close);
        assertEquals(List.of(), resolveOrEmpty(blind));
    }

    private ServiceBackend open(String serviceAndOptions) throws Exception {
        TestProviderContext context = new TestProviderContext(Map.of());
        toClose.add(context::close);
        Backend backend = new ConsulServiceProvider(FAST).open("consul-service://" + consul.address() + "/" + serviceAndOptions,
                context);
        toClose.add(backend::close);
        return (ServiceBackend) backend;
    }

    private void register(String id, String name, String address, int port, List<String> tags, String status,
                          Map<String, Integer> weights) throws Exception {
        StringBuilder json = new StringBuilder("{\"ID\":\"" + id + "\",\"Name\":\"" + name + "\",\"Address\":\"" + address
                + "\",\"Port\":" + port + ",\"Tags\":[");
        for (int i = 0; i < tags.size(); i++) {
            json.append(i == 0 ? "" : ",").append('"').append(tags.get(i)).append('"');
        }
        json.append("],\"Check\":{\"CheckID\":\"").append(id).append("-ttl\",\"TTL\":\"10m\",\"Status\":\"").append(status)
                .append("\"}");
        if (weights != null) {
            json.append(",\"Weights\":{\"Passing\":").append(weights.get("Passing")).append(",\"Warning\":")
                    .append(weights.get("Warning")).append('}');
        }
        json.append('}');
        request("PUT", "/v1/agent/service/register", json.toString());
    }

    private void check(String id, String verb) throws Exception {
        request("PUT", "/v1/agent/check/" + verb + "/" + id + "-ttl", null);
    }

    private void request(String method, String path, String body) throws Exception {
        ConsulAgent.Answer answer = consul.request(method, path, body == null ? new byte[0]
                : body.getBytes(StandardCharsets.UTF_8), consul.managementToken());
        assertEquals(200, answer.status(), method + " " + path + ": " + answer.text());
    }

    private static List<InetSocketAddress> resolve(Backend backend) throws Exception {
        return backend.resolve(CLIENT).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static List<InetSocketAddress> resolveOrEmpty(Backend backend) throws Exception {
        try {
            return resolve(backend);
        } catch (ExecutionException refused) {
            return List.of();
        }
    }

    private static void await(Backend backend, Set<InetSocketAddress> expected, long startNanos, String what) throws Exception {
        Set<InetSocketAddress> seen = Set.of();
        while (System.nanoTime() - startNanos < TimeUnit.SECONDS.toNanos(2)) {
            seen = new HashSet<>(resolveOrEmpty(backend));
            if (seen.equals(expected)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError(what + ": expected " + expected + " within 2 s, saw " + seen);
    }

    private static InetSocketAddress endpoint(String host, int port) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(host), port);
    }
}
