package org.ambassadord.plugin.omni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.ambassadord.plugin.omni.TestDocker.TestContainer;
import org.ambassadord.spi.testkit.SecondDockerEngine;
import org.ambassadord.spi.testkit.TestProviderContext;
import org.junit.jupiter.api.Test;

/**
 * dockerd restarted under omni traffic (the fault suite's case): the events stream breaks,
 * omni re-lists once the engine answers again, and a container that the engine restarted
 * (perhaps on another address) is served its own backend. Meanwhile no connection gets another
 * container's backend: each answer is the right one, a wait, or a refusal. Always on the
 * second engine ({@link SecondDockerEngine}), never the system's: the test owns that daemon.
 */
class DockerdRestartTest {

    @Test
    void omniResyncsAfterTheEngineRestartsAndNeverServesAWrongBackend() throws Exception {
        SecondDockerEngine engine = SecondDockerEngine.shared();
        String host = "unix://" + engine.socket();
        StaticTestProvider statics = new StaticTestProvider();
        try (TestDocker docker = TestDocker.connect(host);
             TestProviderContext context = new TestProviderContext(Map.of(), statics)) {
            TestContainer client = docker.startRestarting(List.of("BACKEND_6379=127.0.0.1:16379"));
            TestContainer other = docker.startRestarting(List.of("BACKEND_6379=127.0.0.1:26379"));
            OmniBackend backend = (OmniBackend) new OmniBackendProvider().open("omni://?docker=" + host, context);
            try {
                InetSocketAddress expected = new InetSocketAddress(InetAddress.getLoopbackAddress(), 16379);
                InetSocketAddress otherBackend = new InetSocketAddress(InetAddress.getLoopbackAddress(), 26379);
                assertEquals(List.of(expected), resolve(backend, client.address()));
                long lossesBefore = backend.counters().get("omni_events_stream_losses");

                // Traffic from the client's address throughout the restart.
                Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
                AtomicBoolean running = new AtomicBoolean(true);
                Thread traffic = new Thread(() -> {
                    while (running.get()) {
                        String outcome;
                        try {
                            List<InetSocketAddress> answer = resolve(backend, client.address());
                            outcome = answer.equals(List.of(expected)) ? "right backend"
                                    : answer.equals(List.of(otherBackend)) ? "other container's backend" : "WRONG " + answer;
                        } catch (ExecutionException e) {
                            outcome = "refused";
                        } catch (TimeoutException e) {
                            outcome = "waited";
                        } catch (InterruptedException e) {
                            return;
                        }
                        outcomes.computeIfAbsent(outcome, key -> new AtomicInteger()).incrementAndGet();
                        try {
                            Thread.sleep(1);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }, "omni-traffic");
                traffic.start();

                long start = System.nanoTime();
                engine.restart();
                InetAddress after = docker.addressOf(client.id(), "bridge");
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                List<InetSocketAddress> answer = List.of();
                while (System.nanoTime() < deadline) {
                    try {
                        answer = resolve(backend, after);
                        if (answer.equals(List.of(expected))) {
                            break;
                        }
                    } catch (ExecutionException | TimeoutException notYet) {
                        // the engine is still coming back
                    }
                    Thread.sleep(100);
                }
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                running.set(false);
                traffic.join();
                System.out.printf("dockerd restart: client %s -> %s, served again %d ms after the restart began;"
                        + " outcomes meanwhile %s%n", client.address().getHostAddress(), after.getHostAddress(), millis,
                        outcomes);
                assertEquals(List.of(expected), answer, "the restarted container is served its own backend");
                assertTrue(outcomes.keySet().stream().noneMatch(key -> key.startsWith("WRONG")), outcomes.toString());
                // The restart may hand the client's old address to the other container: then a
                // connection from that address is the other container's, and so is its backend.
                // Otherwise nobody may get the other container's backend from the client's address.
                InetAddress otherAfter = docker.addressOf(other.id(), "bridge");
                if (!otherAfter.equals(client.address())) {
                    assertTrue(!outcomes.containsKey("other container's backend"), "the client's address got the other"
                            + " container's backend although that container is at " + otherAfter + ": " + outcomes);
                }
                assertTrue(backend.counters().get("omni_events_stream_losses") > lossesBefore,
                        "the restart broke the events stream: " + backend.counters());
                assertEquals(List.of(otherBackend), resolve(backend, otherAfter));
            } finally {
                backend.close();
            }
        }
    }

    private static List<InetSocketAddress> resolve(OmniBackend backend, InetAddress client)
            throws ExecutionException, TimeoutException, InterruptedException {
        return backend.resolve(OmniBackendDockerTest.connection(client, 6379)).toCompletableFuture()
                .get(2, TimeUnit.SECONDS);
    }
}
