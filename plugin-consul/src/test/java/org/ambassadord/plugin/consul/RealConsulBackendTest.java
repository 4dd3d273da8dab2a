package org.ambassadord.plugin.consul;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.ambassadord.plugin.consul.kvserver.KvTestClient;
import org.ambassadord.spi.Backend;
import org.ambassadord.spi.ClientConnection;
import org.ambassadord.spi.testkit.ConsulAgent;
import org.ambassadord.spi.testkit.TestCertificates;
import org.ambassadord.spi.testkit.TestProviderContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tinylog.Logger;

/**
 * The {@code consul} backend against a real Consul 1.8.7 agent ({@link ConsulAgent}): the
 * seed's children/value rule, change latency through real blocking queries, an ACL token on
 * an agent with default-deny ACLs, an agent restart, and a snapshot restore that takes the
 * index backwards. What a real agent cannot be made to do stays with the KV test server
 * ({@code ConsulBackendTest}): record every request (to prove a watch blocks rather than
 * polls and that the token never goes into a URL), report an index that never blocks, and
 * listen on an IPv6 address chosen by the test.
 */
class RealConsulBackendTest {

    private static final ConsulBackend.Timing FAST =
            new ConsulBackend.Timing(Duration.ofSeconds(2), Duration.ofMillis(100), Duration.ofMillis(800));
    private static final long PROMPT_MILLIS = 500;
    private static final ClientConnection CLIENT = ClientConnection.of(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000),
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 10000));

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private ConsulAgent consul(boolean acl) throws Exception {
        ConsulAgent consul = acl ? ConsulAgent.startWithAcls() : ConsulAgent.start();
        toClose.add(consul);
        return consul;
    }

    private Backend open(ConsulAgent consul, String keyAndOptions, Map<String, String> environment) throws Exception {
        TestProviderContext context = new TestProviderContext(environment);
        toClose.add(context::close);
        Backend backend = new ConsulBackendProvider(FAST).open("consul://" + consul.address() + "/" + keyAndOptions, context);
        toClose.add(backend::close);
        return backend;
    }

    @Test
    void childrenOrTheValueAndChangesWithinMilliseconds() throws Exception {
        ConsulAgent consul = consul(false);
        KvTestClient kv = new KvTestClient(consul.address(), consul.managementToken());
        kv.put("app/web/1", "127.0.0.1:8001");
        kv.put("app/web/2", "[::1]:8002");
        kv.put("app/web/3", "no port here");
        kv.put("app/web-other/x", "127.0.0.1:9999");
        Backend backend = open(consul, "app/web", Map.of());
        assertEquals(List.of(endpoint("127.0.0.1", 8001), endpoint("::1", 8002)), resolve(backend));

        Thread.sleep(200); // the watch is blocking now
        long start = System.nanoTime();
        kv.put("app/web/4", "127.0.0.1:8004");
        long addMillis = awaitEndpoints(backend, start, endpoint("127.0.0.1", 8001), endpoint("::1", 8002),
                endpoint("127.0.0.1", 8004));
        Thread.sleep(200);
        start = System.nanoTime();
        kv.deleteTree("app/web/");
        kv.put("app/web", "127.0.0.1:8100");
        long switchMillis = awaitEndpoints(backend, start, endpoint("127.0.0.1", 8100));
        Logger.info("real Consul: an added child reached connections in {} ms, a switch to the value in {} ms",
                addMillis, switchMillis);
        assertTrue(addMillis < PROMPT_MILLIS, "an added child took " + addMillis + " ms");
        assertTrue(switchMillis < PROMPT_MILLIS, "the switch to the value took " + switchMillis + " ms");
    }

    @Test
    void aBootstrapTokenReadsUnderDefaultDenyAndAWrongOneIsTheReasonForRefusal() throws Exception {
        ConsulAgent consul = consul(true);
        new KvTestClient(consul.address(), consul.managementToken()).put("secure/app", "127.0.0.1:7200");

        Backend allowed = open(consul, "secure/app", Map.of("CONSUL_HTTP_TOKEN", consul.managementToken()));
        assertEquals(List.of(endpoint("127.0.0.1", 7200)), resolve(allowed));

        Backend wrong = open(consul, "secure/app", Map.of("CONSUL_HTTP_TOKEN", "00000000-0000-0000-0000-000000000000"));
        ExecutionException refused = assertThrows(ExecutionException.class, () -> resolve(wrong));
        assertTrue(refused.getCause().getMessage().contains("HTTP 403"), refused.getCause().getMessage());

        // Anonymous reads see nothing under default deny: Consul answers 404, an empty set.
        Backend anonymous = open(consul, "secure/app", Map.of());
        ExecutionException empty = assertThrows(ExecutionException.class, () -> resolve(anonymous));
        assertTrue(empty.getCause().getMessage().contains("secure/app"), empty.getCause().getMessage());
    }

    @Test
    void anAgentRestartKeepsTheLastSetServingAndTheNewAgentIsFollowed() throws Exception {
        ConsulAgent consul = consul(false);
        new KvTestClient(consul.address(), consul.managementToken()).put("app/cache/1", "127.0.0.1:7301");
        Backend backend = open(consul, "app/cache?wait=1s", Map.of());
        assertEquals(List.of(endpoint("127.0.0.1", 7301)), resolve(backend));

        consul.stop();
        for (int i = 0; i < 10; i++) {
            assertEquals(List.of(endpoint("127.0.0.1", 7301)), resolve(backend), "the last set keeps serving");
            Thread.sleep(100);
        }
        // A dev agent comes back empty, its index from the bottom: the watcher must start over.
        consul.restart();
        new KvTestClient(consul.address(), consul.managementToken()).put("app/cache/2", "127.0.0.1:7302");
        awaitEndpoints(backend, System.nanoTime(), endpoint("127.0.0.1", 7302));
    }

    @Test
    void aSnapshotRestoreTakesTheIndexBackwardsAndTheRestoredStateIsFollowed() throws Exception {
        ConsulAgent consul = consul(false);
        KvTestClient kv = new KvTestClient(consul.address(), consul.managementToken());
        kv.put("app/svc/a", "127.0.0.1:7001");
        byte[] snapshot = consul.saveSnapshot();
        kv.put("app/svc/b", "127.0.0.1:7002");
        kv.put("app/svc/c", "127.0.0.1:7003");
        long before = kv.get("/v1/kv/app/svc?recurse").consulIndex();
        Backend backend = open(consul, "app/svc?wait=1s", Map.of());
        assertEquals(List.of(endpoint("127.0.0.1", 7001), endpoint("127.0.0.1", 7002), endpoint("127.0.0.1", 7003)),
                resolve(backend));

        consul.restoreSnapshot(snapshot);
        awaitEndpoints(backend, System.nanoTime(), endpoint("127.0.0.1", 7001));
        long after = kv.get("/v1/kv/app/svc?recurse").consulIndex();
        Logger.info("real Consul: snapshot restore took the KV index from {} to {}", before, after);

        long start = System.nanoTime();
        kv.put("app/svc/d", "127.0.0.1:7004");
        long millis = awaitEndpoints(backend, start, endpoint("127.0.0.1", 7001), endpoint("127.0.0.1", 7004));
        assertTrue(millis < 3_000, "a change after the restore took " + millis + " ms");
    }

    /**
     * HTTPS as Consul's CLI configures it ({@code CONSUL_HTTP_SSL}, {@code CONSUL_CACERT},
     * {@code CONSUL_CLIENT_CERT}, {@code CONSUL_CLIENT_KEY}) against an agent that verifies
     * client certificates; a container's spec to a host that is not a credential host gets no
     * client certificate, and the agent refuses it.
     */
    @Test
    void httpsWithTheCaAndAClientCertificateAsConsulsCliReadsThem(@TempDir Path directory) throws Exception {
        TestCertificates certificates = TestCertificates.create(directory);
        ConsulAgent consul = ConsulAgent.startWithTls(certificates);
        toClose.add(consul);
        consul.put("tls/app", "127.0.0.1:7400");
        Map<String, String> environment = Map.of("CONSUL_HTTP_SSL", "true", "CONSUL_CACERT", certificates.ca().toString(),
                "CONSUL_CLIENT_CERT", certificates.clientCert().toString(),
                "CONSUL_CLIENT_KEY", certificates.clientKey().toString());
        String spec = "consul://" + consul.httpsAddress() + "/tls/app";

        TestProviderContext operator = new TestProviderContext(environment);
        toClose.add(operator::close);
        Backend backend = new ConsulBackendProvider(FAST).open(spec, operator);
        toClose.add(backend::close);
        assertEquals(List.of(endpoint("127.0.0.1", 7400)), resolve(backend));

        Backend container = new ConsulBackendProvider(FAST).open(spec, operator.forContainer("c1", "web"));
        toClose.add(container::close);
        ExecutionException refused = assertThrows(ExecutionException.class, () -> resolve(container));
        Logger.info("real Consul over HTTPS without a client certificate: {}", refused.getCause().getMessage());

        Map<String, String> noCa = new java.util.HashMap<>(environment);
        noCa.remove("CONSUL_CACERT");
        TestProviderContext untrusting = new TestProviderContext(noCa);
        toClose.add(untrusting::close);
        Backend unverified = new ConsulBackendProvider(FAST).open(spec, untrusting);
        toClose.add(unverified::close);
        ExecutionException untrusted = assertThrows(ExecutionException.class, () -> resolve(unverified));
        assertTrue(untrusted.getCause().getMessage().contains("PKIX") || untrusted.getCause().getMessage().contains("certificat"),
                untrusted.getCause().getMessage());
    }

    private static List<InetSocketAddress> resolve(Backend backend) throws Exception {
        return backend.resolve(CLIENT).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static long awaitEndpoints(Backend backend, long start, InetSocketAddress... expected) throws Exception {
        return EndpointAwait.endpoints(backend, CLIENT, start, Duration.ofSeconds(20), expected);
    }

    private static InetSocketAddress endpoint(String host, int port) throws IOException {
        return new InetSocketAddress(InetAddress.getByName(host), port);
    }

}
