package org.ambassadord.plugin.hostport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.ambassadord.spi.Backend;
import org.ambassadord.spi.ClientConnection;
import org.ambassadord.spi.testkit.TestProviderContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Host names resolved in the background and followed when DNS changes. The test JVM resolves
 * through a hosts file ({@code -Djdk.net.hosts.file}, see the pom) that the test rewrites, with
 * the JDK's cache cut to one second.
 */
class StaticBackendTest {

    private static final Path HOSTS = Path.of(System.getProperty("jdk.net.hosts.file"));
    private static final ClientConnection CONNECTION = ClientConnection.of(
            new InetSocketAddress("127.0.0.1", 40000), new InetSocketAddress("127.0.0.1", 6379));

    private final TestProviderContext context = new TestProviderContext();

    @BeforeEach
    void hosts() throws Exception {
        writeHosts("127.0.0.1 localhost\n10.1.0.1 redis.test\n10.1.0.1 cache.test\n");
    }

    @AfterEach
    void close() {
        context.close();
    }

    @Test
    void literalsAreReadyAtOnce() throws Exception {
        try (Backend backend = new StaticProvider().open("10.0.0.1:6379,[fd00::2]:6380", context)) {
            CompletableFuture<List<InetSocketAddress>> resolved = backend.resolve(CONNECTION).toCompletableFuture();
            assertTrue(resolved.isDone(), "IP literals need no look-up");
            assertEquals(List.of(new InetSocketAddress(InetAddress.getByName("10.0.0.1"), 6379),
                    new InetSocketAddress(InetAddress.getByName("fd00::2"), 6380)), resolved.get());
        }
    }

    @Test
    void hostNamesAreResolvedAndChangesFollowed() throws Exception {
        try (Backend backend = new StaticProvider().open("redis.test:6379,10.9.9.9:6380", context)) {
            awaitEndpoints(backend, List.of(address("10.1.0.1", 6379), address("10.9.9.9", 6380)));

            writeHosts("127.0.0.1 localhost\n10.1.0.2 redis.test\n10.1.0.3 redis.test\n");

            awaitEndpoints(backend, List.of(address("10.1.0.2", 6379), address("10.1.0.3", 6379), address("10.9.9.9", 6380)));
        }
    }

    @Test
    void aNameThatStopsResolvingKeepsItsLastAddresses() throws Exception {
        try (Backend backend = new StaticProvider().open("cache.test:6379", context)) {
            assertEquals(List.of(address("10.1.0.1", 6379)),
                    backend.resolve(CONNECTION).toCompletableFuture().get(5, TimeUnit.SECONDS));
            writeHosts("127.0.0.1 localhost\n");
            Thread.sleep((StaticBackend.REFRESH_SECONDS + 2) * 1000);
            assertEquals(List.of(address("10.1.0.1", 6379)), backend.resolve(CONNECTION).toCompletableFuture().get());
        }
    }

    @Test
    void anUnknownNameRefusesWithTheName() throws Exception {
        try (Backend backend = new StaticProvider().open("nowhere.test:6379", context)) {
            ExecutionException error = assertThrows(ExecutionException.class,
                    () -> backend.resolve(CONNECTION).toCompletableFuture().get(5, TimeUnit.SECONDS));
            assertTrue(error.getCause().getMessage().contains("nowhere.test"), error.getCause().getMessage());
        }
    }

    private static void awaitEndpoints(Backend backend, List<InetSocketAddress> expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(StaticBackend.REFRESH_SECONDS * 3);
        List<InetSocketAddress> actual = null;
        while (System.nanoTime() < deadline) {
            actual = backend.resolve(CONNECTION).toCompletableFuture().get(5, TimeUnit.SECONDS);
            if (actual.equals(expected)) {
                return;
            }
            Thread.sleep(100);
        }
        assertEquals(expected, actual);
    }

    private static InetSocketAddress address(String ip, int port) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(ip), port);
    }

    private static void writeHosts(String content) throws Exception {
        Files.createDirectories(HOSTS.getParent());
        Path temporary = HOSTS.resolveSibling("test-hosts.tmp");
        Files.writeString(temporary, content);
        Files.move(temporary, HOSTS, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
