package org.ambassadord.plugin.omni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.ambassadord.spi.testkit.TestProviderContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Omni against Engine 29's API 1.52 shapes ({@link Api152Engine}): listing, a start, a die, a
 * network connect and a lost events stream are all followed from fields that API still has,
 * and no request names an API version below the engine's minimum, 1.44.
 */
class Api152EngineTest {

    private static final Pattern VERSIONED = Pattern.compile(" /v1\\.(\\d+)/");

    @Test
    void omniFollowsAnApi152Engine(@TempDir Path directory) throws Exception {
        try (Api152Engine engine = new Api152Engine(directory.resolve("docker.sock"));
             TestProviderContext context = new TestProviderContext(Map.of(), new StaticTestProvider())) {
            engine.startQuietly(new Api152Engine.Container("a".repeat(64), "first", Map.of("bridge", "10.9.0.2"),
                    List.of("BACKEND_6379=127.0.0.1:16379")));
            OmniBackend backend = (OmniBackend) new OmniBackendProvider().open("omni://?docker=" + engine.dockerHost(), context);
            try {
                assertEquals(List.of(local(16379)), resolve(backend, "10.9.0.2"), "from the first listing");
                int listings = listings(backend);

                engine.start(new Api152Engine.Container("b".repeat(64), "second", Map.of("bridge", "10.9.0.3"),
                        List.of("BACKEND_6379=127.0.0.1:26379")));
                waitUntil(() -> !backend.describeClient(OmniBackendDockerTest.connection(address("10.9.0.3"), 6379)).isEmpty(),
                        "the start event");
                assertEquals(List.of(local(26379)), resolve(backend, "10.9.0.3"));

                engine.die("a".repeat(64));
                waitUntil(() -> backend.describeClient(OmniBackendDockerTest.connection(address("10.9.0.2"), 6379)).isEmpty(),
                        "the die event");

                engine.connect("b".repeat(64), "backend-net", "10.9.1.5");
                waitUntil(() -> !backend.describeClient(OmniBackendDockerTest.connection(address("10.9.1.5"), 6379)).isEmpty(),
                        "the network connect event");
                assertEquals(List.of(local(26379)), resolve(backend, "10.9.1.5"));
                assertEquals(listings, listings(backend), "start, die and connect came from events, not listings");
                // An unknown address makes omni list again before it refuses (it may be new).
                ExecutionException refused = assertThrows(ExecutionException.class, () -> resolve(backend, "10.9.0.2"));
                assertTrue(refused.getCause().getMessage().contains("no running container has address [10.9.0.2]"),
                        refused.getCause().getMessage());

                engine.startQuietly(new Api152Engine.Container("c".repeat(64), "third", Map.of("bridge", "10.9.0.4"),
                        List.of("BACKEND_6379=127.0.0.1:36379")));
                engine.severEvents();
                assertEquals(List.of(local(36379)), resolve(backend, "10.9.0.4"), "found by the listing after the loss");
                assertTrue(listings(backend) > listings);
            } finally {
                backend.close();
            }
            System.out.println("requests omni sent to the API 1.52 engine: " + engine.requests());
            for (String request : engine.requests()) {
                Matcher versioned = VERSIONED.matcher(request);
                if (versioned.find() && Integer.parseInt(versioned.group(1)) < 44) {
                    fail("a request below the minimum API version 1.44: " + request);
                }
            }
        }
    }

    /**
     * Issue 21: the engine's answers are capped. A container whose environment makes its
     * inspection longer than the cap is refused with the rest of that listing (counted, reported
     * as the engine not answering, retried); once it is gone, the next listing serves again. A
     * megabyte spec in a variable is kept cut and refused as too long at connect.
     */
    @Test
    void anAnswerAboveTheCapIsRefusedAndCounted(@TempDir Path directory) throws Exception {
        try (Api152Engine engine = new Api152Engine(directory.resolve("docker.sock"));
             TestProviderContext context = new TestProviderContext(Map.of(), new StaticTestProvider())) {
            String hostileId = "d".repeat(64);
            engine.startQuietly(new Api152Engine.Container(hostileId, "hostile", Map.of("bridge", "10.9.0.9"),
                    java.util.Collections.nCopies(33, "PADDING=" + "p".repeat(1 << 20))));
            engine.startQuietly(new Api152Engine.Container("e".repeat(64), "long", Map.of("bridge", "10.9.0.5"),
                    List.of("BACKEND_6379=127.0.0.1:" + "1".repeat(1 << 20))));
            OmniBackend backend = (OmniBackend) new OmniBackendProvider().open("omni://?docker=" + engine.dockerHost(), context);
            try {
                waitUntil(() -> backend.counters().get("omni_docker_answers_refused") >= 1
                        && backend.describeState().contains("an answer longer than 32 MiB"), "a refused answer");
                engine.die(hostileId);
                engine.severEvents();
                ExecutionException refused = assertThrows(ExecutionException.class, () -> resolve(backend, "10.9.0.5"));
                assertTrue(refused.getCause().getMessage().contains("names a backend spec longer than the 2048 characters"),
                        refused.getCause().getMessage());
                assertEquals(1L, backend.counters().get("omni_lookups_spec_too_long"));
            } finally {
                backend.close();
            }
        }
    }

    private static int listings(OmniBackend backend) {
        return backend.counters().get("omni_container_listings").intValue();
    }

    private static List<InetSocketAddress> resolve(OmniBackend backend, String client) throws Exception {
        return backend.resolve(OmniBackendDockerTest.connection(address(client), 6379)).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    private static InetAddress address(String literal) {
        return ClientAddresses.parseLiteral(literal).orElseThrow();
    }

    private static InetSocketAddress local(int port) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    private static void waitUntil(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
