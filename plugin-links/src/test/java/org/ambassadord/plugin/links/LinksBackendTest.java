package org.ambassadord.plugin.links;

import static org.ambassadord.plugin.links.DockerEnvironments.link;
import static org.ambassadord.plugin.links.DockerEnvironments.merge;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.ambassadord.spi.Backend;
import org.ambassadord.spi.BackendSpecException;
import org.ambassadord.spi.ClientConnection;
import org.ambassadord.spi.testkit.TestProviderContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Links mode end to end through the provider, with injected environments. Host names
 * resolve from {@code src/test/resources/hosts} only ({@code -Djdk.net.hosts.file}), so no
 * test asks a real DNS server.
 */
class LinksBackendTest {

    private final LinksProvider provider = new LinksProvider();

    private static ClientConnection connectionTo(int listenPort) {
        return ClientConnection.of(new InetSocketAddress("172.17.0.9", 41000), new InetSocketAddress("172.17.0.8", listenPort));
    }

    private static List<InetSocketAddress> resolve(Backend backend, int listenPort) throws Exception {
        return backend.resolve(connectionTo(listenPort)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static String refusal(Backend backend, int listenPort) {
        ExecutionException refused = assertThrows(ExecutionException.class, () -> resolve(backend, listenPort));
        return refused.getCause().getMessage();
    }

    @Test
    void forwardsEachLinkPortToItsLinkAsInTheSeed() throws Exception {
        // docker run --expose 6379 --expose 8080 --link redis:redis --link http:http ... --links
        Map<String, String> environment = merge(link("redis", "172.17.0.2", 6379), link("http", "172.17.0.3", 8080));
        try (TestProviderContext context = new TestProviderContext(environment);
             Backend backend = provider.open("links://", context)) {
            assertEquals(Set.of(6379, 8080), backend.listenPorts());
            assertFalse(backend.ordersEndpoints());
            assertEquals(List.of(new InetSocketAddress("172.17.0.2", 6379)), resolve(backend, 6379));
            assertEquals(List.of(new InetSocketAddress("172.17.0.3", 8080)), resolve(backend, 8080));
            assertEquals("no Docker link on port [9999]; links listen on " + backend.listenPorts(), refusal(backend, 9999));
        }
    }

    @Test
    void aSingleLinkTakesConnectionsOnAnyPort() throws Exception {
        try (TestProviderContext context = new TestProviderContext(link("redis", "172.17.0.2", 6379));
             Backend backend = provider.open("links://", context)) {
            assertEquals(List.of(new InetSocketAddress("172.17.0.2", 6379)), resolve(backend, 10000));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"links://", "links:", "links", "LINKS://", " links:// "})
    void acceptsEverySpellingOfTheSpec(String spec) throws Exception {
        try (TestProviderContext context = new TestProviderContext(link("redis", "172.17.0.2", 6379));
             Backend backend = provider.open(spec, context)) {
            assertEquals(Set.of(6379), backend.listenPorts());
        }
    }

    @Test
    void claimsOnlyItsOwnBareWords() {
        assertTrue(provider.claimsSchemelessSpec("links"));
        assertTrue(provider.claimsSchemelessSpec("links:"));
        for (String other : List.of("redis.service.consul", "redis:6379", "linkshost:80", "links.example.com")) {
            assertFalse(provider.claimsSchemelessSpec(other), other);
        }
    }

    @Test
    void refusesAnEnvironmentWithoutLinksSayingWhy() {
        try (TestProviderContext context = new TestProviderContext(merge())) {
            String message = assertThrows(BackendSpecException.class, () -> provider.open("links://", context)).getMessage();
            assertTrue(message.startsWith("--links found no Docker link variables <ALIAS>_PORT_<port>_TCP=tcp://addr:port"
                    + " in the environment; "), message);
            assertTrue(message.contains("Docker Engine 29+"), message);
            assertFalse(message.contains("\n"));
        }
    }

    @Test
    void refusesTwoLinksOnOnePortNamingBoth() {
        Map<String, String> environment = merge(link("redis", "172.17.0.2", 6379), link("cache", "172.17.0.3", 6379));
        try (TestProviderContext context = new TestProviderContext(environment)) {
            String message = assertThrows(BackendSpecException.class, () -> provider.open("links://", context)).getMessage();
            assertTrue(message.contains("[CACHE]") && message.contains("[REDIS]") && message.contains("[6379]"), message);
        }
    }

    @Test
    void refusesAnAddressThatIsNeitherNameNorIp() {
        try (TestProviderContext context = new TestProviderContext(Map.of("X_PORT_80_TCP", "tcp://[fd00::zz]:80"))) {
            assertEquals("link variable [X_PORT_80_TCP] has address [fd00::zz], which is not an IP address",
                    assertThrows(BackendSpecException.class, () -> provider.open("links://", context)).getMessage());
        }
    }

    @Test
    void usesIpv6Addresses() throws Exception {
        try (TestProviderContext context = new TestProviderContext(Map.of("V6_PORT_6379_TCP", "tcp://[fd00::2]:6379"));
             Backend backend = provider.open("links://", context)) {
            assertEquals(List.of(new InetSocketAddress("fd00::2", 6379)), resolve(backend, 6379));
        }
    }

    @Test
    void resolvesHostNamesOnTheSchedulerNotInResolve() throws Exception {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        CountDownLatch release = new CountDownLatch(1);
        try {
            // Hold the only scheduler thread: no look-up can run until the test releases it.
            scheduler.execute(() -> awaitQuietly(release));
            Map<String, String> environment = Map.of("DB_PORT_5432_TCP", "tcp://db.links.test:5432");
            try (Backend backend = provider.open("links://", new EnvironmentContext(environment, scheduler))) {
                CompletableFuture<List<InetSocketAddress>> early = backend.resolve(connectionTo(5432)).toCompletableFuture();
                assertFalse(early.isDone(), "the name is not resolved yet, and resolve() must not resolve it");

                release.countDown();
                InetSocketAddress expected = new InetSocketAddress("10.1.2.3", 5432);
                assertEquals(List.of(expected), early.get(10, TimeUnit.SECONDS));
                assertEquals(List.of(expected), resolve(backend, 5432));
                assertTrue(backend.resolve(connectionTo(5432)).toCompletableFuture().isDone(), "answered from the cache");
            }
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void refusesConnectionsWhileAHostNameDoesNotResolve() throws Exception {
        try (TestProviderContext context = new TestProviderContext(Map.of("DB_PORT_5432_TCP", "tcp://missing.links.test:5432"));
             Backend backend = provider.open("links://", context)) {
            assertEquals("cannot resolve host [missing.links.test] of link [DB]", refusal(backend, 5432));
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
