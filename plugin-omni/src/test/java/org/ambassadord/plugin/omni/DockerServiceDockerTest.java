package org.ambassadord.plugin.omni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.ambassadord.plugin.omni.TestDocker.TestContainer;
import org.ambassadord.spi.Backend;
import org.ambassadord.spi.BackendSpecException;
import org.ambassadord.spi.ClientConnection;
import org.ambassadord.spi.testkit.TestProviderContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code docker://SERVICE} against the real engine: containers labelled as Docker Compose
 * labels a service's replicas, with a {@code HEALTHCHECK}, on user-defined networks this
 * class creates. Health, pause, projects, aliases and omni's network bound.
 */
class DockerServiceDockerTest {

    /** The bound: a change reaches new connections within 1 s; the test allows 2. */
    private static final Duration FOLLOWS_WITHIN = Duration.ofSeconds(2);
    private static final Duration HEALTHY_WITHIN = Duration.ofSeconds(20);

    private static TestDocker docker;
    private static String networkA;
    private static String networkB;
    private static String networkAId;
    private static String networkBId;
    private static String project;

    private TestProviderContext context;
    private Backend backend;

    @BeforeAll
    static void createNetworks() throws Exception {
        docker = TestDocker.connect();
        long pid = ProcessHandle.current().pid();
        project = "ambdsvc" + pid;
        networkA = "ambd-svc-a-" + pid;
        networkB = "ambd-svc-b-" + pid;
        networkAId = docker.createNetwork(networkA, "10.214." + (pid % 200 + 20) + ".0/24");
        networkBId = docker.createNetwork(networkB, "10.215." + (pid % 200 + 20) + ".0/24");
    }

    @AfterAll
    static void removeNetworks() throws Exception {
        if (docker != null) {
            docker.removeNetworkAndItsContainers(networkAId);
            docker.removeNetworkAndItsContainers(networkBId);
            docker.close();
        }
    }

    @AfterEach
    void closeBackend() {
        if (backend != null) {
            backend.close();
        }
        if (context != null) {
            context.close();
        }
    }

    private Backend open(String spec) throws Exception {
        context = new TestProviderContext(Map.of());
        backend = new DockerServiceProvider().open(spec + (spec.contains("?") ? "&" : "?") + "docker=" + TestDocker.SOCKET, context);
        return backend;
    }

    @Test
    void healthyReplicasServeAndChangesAreFollowed() throws Exception {
        TestContainer web1 = docker.startService(project, "web", networkA, List.of(), 8080, true);
        TestContainer web2 = docker.startService(project, "web", networkA, List.of(), 8080, true);
        TestContainer web3 = docker.startService(project, "web", networkA, List.of(), 8080, true);
        open("docker://web?project=" + project);
        Set<InetSocketAddress> all = Set.of(endpoint(web1), endpoint(web2), endpoint(web3));
        waitFor(() -> endpoints(), all, HEALTHY_WITHIN, "all three replicas healthy and serving");
        assertTrue(backend.describeEndpoint(endpoint(web1)).contains("healthy"), backend.describeEndpoint(endpoint(web1)));

        docker.setHealthy(web2, false);
        waitFor(() -> endpoints(), Set.of(endpoint(web1), endpoint(web3)), FOLLOWS_WITHIN.plusSeconds(1),
                "the unhealthy replica left out (one failed check at 200 ms, then the event)");
        assertTrue(backend.describeState().contains("health unhealthy"), backend.describeState());
        docker.setHealthy(web2, true);
        waitFor(() -> endpoints(), all, FOLLOWS_WITHIN.plusSeconds(1), "healthy again, back");

        docker.pause(web3);
        waitFor(() -> endpoints(), Set.of(endpoint(web1), endpoint(web2)), FOLLOWS_WITHIN, "a paused replica left out");
        docker.unpause(web3);
        waitFor(() -> endpoints(), all, FOLLOWS_WITHIN, "unpaused, back");

        // Scaled up and down, as `docker compose scale` does: a fourth replica, then one killed.
        TestContainer web4 = docker.startService(project, "web", networkA, List.of(), 8080, true);
        waitFor(() -> endpoints(), Set.of(endpoint(web1), endpoint(web2), endpoint(web3), endpoint(web4)), HEALTHY_WITHIN,
                "a new replica, once healthy");
        docker.kill(web1);
        waitFor(() -> endpoints(), Set.of(endpoint(web2), endpoint(web3), endpoint(web4)), FOLLOWS_WITHIN, "a dead replica gone");
    }

    @Test
    void projectsAreNeverMixedAndAServiceWithoutHealthCheckServesWhileRunning() throws Exception {
        String other = project + "x";
        TestContainer mine = docker.startService(project, "api", networkA, List.of(), 9000, false);
        TestContainer theirs = docker.startService(other, "api", networkA, List.of(), 9000, false);
        open("docker://api");
        String refusal = refusalOf(resolve());
        assertTrue(refusal.contains("is in Compose projects [" + project + ", " + other + "]") && refusal.contains("?project="),
                refusal);
        backend.close();
        context.close();
        open("docker://api?project=" + other);
        assertEquals(Set.of(endpoint(theirs)), endpoints());
        backend.close();
        context.close();
        open("docker://api:9001?project=" + project);
        assertEquals(Set.of(new InetSocketAddress(mine.address(), 9001)), endpoints(), "the spec's port wins over the exposed one");
    }

    @Test
    void aNetworkAliasServesWhereNoContainerCarriesTheServiceLabel() throws Exception {
        TestContainer db = docker.startService(null, null, networkA, List.of("ambd-db-alias"), 5432, false);
        open("docker://ambd-db-alias");
        assertEquals(Set.of(endpoint(db)), endpoints());
        assertTrue(backend.isReady());
        backend.close();
        context.close();
        open("docker://nothing-is-called-this");
        waitFor(() -> backend.isReady(), true, FOLLOWS_WITHIN, "ready once listed, even when nothing matches");
        assertTrue(backend.describeState().contains("no container matches"), backend.describeState());
        assertTrue(refusalOf(resolve()).contains("no container matches"));
    }

    @Test
    void anOmniContainerReachesOnlyServicesOnItsOwnNetworks() throws Exception {
        TestContainer onlyOnB = docker.startService(project, "secret", networkB, List.of(), 7000, false);
        TestContainer asker = docker.startService(null, null, networkA, List.of(), 1, false);
        context = new TestProviderContext(Map.of());
        backend = new DockerServiceProvider().open("docker://secret?project=" + project + "&docker=" + TestDocker.SOCKET,
                context.forContainer(asker.id(), asker.name()));
        waitFor(() -> refusalOf(resolveFrom(asker.address())).contains("shares no network with the asking container"), true,
                FOLLOWS_WITHIN, "refused with the reason: " + refusalOf(resolveFrom(asker.address())));
        assertTrue(refusalOf(resolveFrom(asker.address())).contains(networkB), refusalOf(resolveFrom(asker.address())));
        assertTrue(onlyOnB.address() != null);
    }

    /** The suite's engines are no swarm managers: the spec opens, is never ready, and says why (the manager's own words). */
    @Test
    void aSwarmSpecOnAnEngineThatIsNoManagerIsRefusedWithTheEnginesReason() throws Exception {
        open("docker://web:8080?swarm");
        waitFor(() -> backend.describeState().contains("listing the swarm tasks failed"), true, Duration.ofSeconds(5),
                "the failed listing in the state: " + backend.describeState());
        assertTrue(backend.describeState().contains("swarm manager"), backend.describeState());
        assertEquals(false, backend.isReady(), "no task listing yet: not ready");
        assertTrue(refusalOf(resolve()).contains("the swarm's tasks have not been listed yet"), refusalOf(resolve()));
    }

    @Test
    void badSpecsAreOneLineErrors() {
        for (String spec : List.of("docker://", "docker://web:0", "docker://web:70000", "docker://web?colour=blue",
                "docker://we b", "docker://web?health=sometimes")) {
            BackendSpecException e = assertThrows(BackendSpecException.class,
                    () -> new DockerServiceProvider().open(spec, new TestProviderContext(Map.of())), spec);
            assertTrue(!e.getMessage().contains("\n"), e.getMessage());
        }
    }

    private static InetSocketAddress endpoint(TestContainer container) {
        return new InetSocketAddress(container.address(), container.name().isEmpty() ? 0 : portOf(container));
    }

    private static int portOf(TestContainer container) {
        return docker.client.inspectContainerCmd(container.id()).exec().getConfig().getExposedPorts()[0].getPort();
    }

    private Set<InetSocketAddress> endpoints() {
        try {
            return Set.copyOf(resolve().get(5, TimeUnit.SECONDS));
        } catch (ExecutionException refused) {
            return Set.of();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private java.util.concurrent.CompletableFuture<List<InetSocketAddress>> resolve() {
        InetSocketAddress local = new InetSocketAddress(InetAddress.getLoopbackAddress(), 10000);
        return backend.resolve(ClientConnection.of(local, local)).toCompletableFuture();
    }

    private java.util.concurrent.CompletableFuture<List<InetSocketAddress>> resolveFrom(InetAddress client) {
        return backend.resolve(ClientConnection.of(new InetSocketAddress(client, 40000),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 10000))).toCompletableFuture();
    }

    private static String refusalOf(java.util.concurrent.CompletableFuture<List<InetSocketAddress>> answer) {
        try {
            List<InetSocketAddress> endpoints = answer.get(5, TimeUnit.SECONDS);
            return "served " + endpoints;
        } catch (ExecutionException refused) {
            assertInstanceOf(RefusedConnectionException.class, refused.getCause());
            return refused.getCause().getMessage();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private <T> void waitFor(Supplier<T> actual, T expected, Duration within, String what) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        T seen = actual.get();
        while (!expected.equals(seen)) {
            if (System.nanoTime() > deadline) {
                fail(what + ": expected " + expected + " within " + within.toMillis() + " ms, still " + seen
                        + (backend == null ? "" : "; " + backend.describeState()));
            }
            Thread.sleep(50);
            seen = actual.get();
        }
    }
}
