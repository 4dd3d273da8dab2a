package org.ambassadord.plugin.omni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.ambassadord.plugin.omni.TestDocker.TestContainer;
import org.ambassadord.spi.ClientConnection;
import org.ambassadord.spi.testkit.DockerApiFilter;
import org.ambassadord.spi.testkit.DockerEngines;
import org.ambassadord.spi.testkit.TestProviderContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The omni backend against the real Docker engine: containers on the default bridge name
 * their backends in {@code BACKEND_<port>} or label {@code connect.<port>}, and their
 * addresses are used as the client address of connections, as the relay would after
 * accepting them.
 */
class OmniBackendDockerTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static TestDocker docker;
    /** Omni reads the engine through a least-privilege filter, as the README recommends. */
    private static DockerApiFilter filter;
    private static Path filterDirectory;

    private final StaticTestProvider statics = new StaticTestProvider();
    private TestProviderContext context;
    private OmniBackend backend;

    @BeforeAll
    static void connectToDocker() throws Exception {
        docker = TestDocker.connect();
        filterDirectory = java.nio.file.Files.createTempDirectory("ambd-docker-filter");
        filter = new DockerApiFilter(filterDirectory.resolve("docker.sock"), DockerEngines.socket());
    }

    @AfterAll
    static void removeContainers() throws Exception {
        if (docker != null) {
            docker.close();
        }
        if (filter != null) {
            // Everything omni asked for was on the read-only list.
            assertEquals(List.of(), filter.refused());
            filter.close();
            java.nio.file.Files.deleteIfExists(filterDirectory);
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

    private OmniBackend open(String spec) throws Exception {
        if (spec.equals("omni://")) {
            spec = "omni://?docker=" + filter.dockerHost();
        }
        context = new TestProviderContext(Map.of(), statics);
        backend = (OmniBackend) new OmniBackendProvider().open(spec, context);
        return backend;
    }

    @Test
    void eachContainerIsServedByTheBackendItNames() throws Exception {
        open("omni://");
        TestContainer byVariable = docker.start(List.of("BACKEND_6379=127.0.0.1:16379"), Map.of());
        TestContainer byLabel = docker.start(List.of(), Map.of("connect.6379", "127.0.0.1:26379"));
        TestContainer both = docker.start(List.of("BACKEND_6379=127.0.0.1:36379", "BACKEND_8080=127.0.0.1:18080"),
                Map.of("connect.6379", "127.0.0.1:46379"));
        TestContainer none = docker.start(List.of("REDIS=127.0.0.1:6379"), Map.of());

        // Resolved right after the start: the container may still be unknown, which must wait
        // for a listing rather than refuse.
        assertEquals(List.of(local(16379)), resolve(byVariable.address(), 6379));
        assertEquals(List.of(local(26379)), resolve(byLabel.address(), 6379));
        assertEquals(List.of(local(36379)), resolve(both.address(), 6379));
        assertEquals(List.of(local(18080)), resolve(both.address(), 8080));
        String state = backend.describeState();
        assertTrue(state.startsWith("following " + filter.dockerHost() + "; "), state);
        assertTrue(state.matches(".*; \\[127\\.0\\.0\\.1:16379\\] for \\[[^]]*\\b" + byVariable.name() + "\\b.*"), state);

        assertRefused(none.address(), 6379, "container [" + none.name() + " (" + none.id().substring(0, 12)
                + ")] defines no backend for port [6379]: set BACKEND_6379 or label connect.6379");
        assertRefused(byVariable.address(), 11211, "container [" + byVariable.name());
        assertRefused(byVariable.address(), 11211, "port [11211]");
        // Counted by outcome for /metrics, and the access log learns the container's name.
        java.util.Map<String, Long> counters = backend.counters();
        assertTrue(counters.get("omni_lookups_matched") >= 4, counters.toString());
        assertEquals(3L, counters.get("omni_lookups_no_definition"), counters.toString());
        assertEquals(byLabel.name(), backend.describeClient(connection(byLabel.address(), 6379)));
        assertEquals("", backend.describeClient(connection(InetAddress.getByName("10.255.255.253"), 6379)));
    }

    @Test
    void anAddressOfNoContainerIsRefused() throws Exception {
        open("omni://");
        waitUntil(() -> listings() > 0, "first listing");
        assertRefused(InetAddress.getByName("10.255.255.254"), 6379,
                "no running container has address [10.255.255.254] (following " + filter.dockerHost() + ")");
    }

    @Test
    void connectionsThatWereNotRedirectedAreRefused() throws Exception {
        open("omni://");
        TestContainer client = docker.start(List.of("BACKEND_10000=127.0.0.1:1"), Map.of());
        InetSocketAddress from = new InetSocketAddress(client.address(), 40000);
        InetSocketAddress local = new InetSocketAddress("172.17.0.99", 10000);
        assertRefusedWith(ClientConnection.of(from, local), "was it redirected to this port by iptables?");
        assertRefusedWith(new ClientConnection(from, local, Optional.of(local)),
                "was made to port [10000] directly, not redirected");
    }

    @Test
    void oneSpecIsOpenedOnceAndClosedWhenNoContainerNamesIt() throws Exception {
        open("omni://");
        String spec = "127.0.0.1:17000";
        TestContainer first = docker.start(List.of("BACKEND_6379=" + spec), Map.of());
        TestContainer second = docker.start(List.of(), Map.of("connect.5432", spec));

        assertEquals(List.of(local(17000)), resolve(first.address(), 6379));
        assertEquals(List.of(local(17000)), resolve(second.address(), 5432));
        assertEquals(1, statics.opens(spec));

        docker.kill(first);
        waitUntil(() -> backend.describeClient(connection(first.address(), 6379)).isEmpty(), "first container forgotten");
        assertEquals(0, statics.closes(spec), "still named by the second container");
        docker.kill(second);
        waitUntil(() -> statics.closes(spec) == 1, "backend closed once no container names it");
        assertTrue(backend.describeState().contains("nested backends open: 0;") || backend.describeState().endsWith("nested backends open: 0"), backend.describeState());
    }

    @Test
    void aContainerThatDiesIsForgottenThroughItsEvent() throws Exception {
        open("omni://");
        TestContainer client = docker.start(List.of("BACKEND_6379=127.0.0.1:16379"), Map.of());
        assertEquals(List.of(local(16379)), resolve(client.address(), 6379));
        int listings = listings();

        docker.kill(client);

        waitUntil(() -> backend.describeClient(connection(client.address(), 6379)).isEmpty(), "dead container forgotten");
        assertEquals(listings, listings(), "forgotten by its event, not by a new listing");
        assertRefused(client.address(), 6379, "no running container has address [" + client.address().getHostAddress());
    }

    @Test
    void aNetworkConnectedLaterIsFollowedThroughItsEvent() throws Exception {
        String network = "ambd-omni-test-" + ProcessHandle.current().pid();
        String networkId = docker.client.createNetworkCmd().withName(network).exec().getId();
        try {
            open("omni://");
            TestContainer client = docker.start(List.of("BACKEND_6379=127.0.0.1:16379"), Map.of());
            assertEquals(List.of(local(16379)), resolve(client.address(), 6379));
            int listings = listings();

            docker.client.connectToNetworkCmd().withNetworkId(networkId).withContainerId(client.id()).exec();
            InetAddress second = docker.addressOf(client.id(), network);

            waitUntil(() -> !backend.describeClient(connection(second, 6379)).isEmpty(), "address on the new network known");
            assertEquals(listings, listings(), "learnt from the connect event");
            assertEquals(List.of(local(16379)), resolve(second, 6379));
            docker.kill(client);
        } finally {
            waitUntil(() -> removeNetwork(networkId), "test network removed");
        }
    }

    @Test
    void aLostEventsStreamLeadsToAFullListing(@TempDir Path directory) throws Exception {
        try (UnixSocketProxy proxy = new UnixSocketProxy(directory.resolve("docker.sock"), filter.path())) {
            open("omni://?docker=unix://" + proxy.path());
            waitUntil(() -> listings() > 0 && backend.describeState().startsWith("following"),
                    "following the engine through the proxy");

            proxy.setRefusing(true);
            proxy.severAll();
            waitUntil(() -> backend.describeState().startsWith("not following"), "stream loss noticed");
            TestContainer missed = docker.start(List.of("BACKEND_6379=127.0.0.1:18000"), Map.of());
            int listings = listings();
            proxy.setRefusing(false);

            waitUntil(() -> !backend.describeClient(connection(missed.address(), 6379)).isEmpty(),
                    "container started while the stream was down found");
            assertTrue(listings() > listings, "found by a new full listing");
            assertTrue(backend.counters().get("omni_events_stream_losses") >= 1, backend.counters().toString());
            assertEquals(List.of(local(18000)), resolve(missed.address(), 6379));
        }
    }

    @Test
    void nestedSpecsAreOpenedForTheirContainerNotWithTheOperatorsPowers() throws Exception {
        open("omni://");
        TestContainer client = docker.start(List.of("BACKEND_6379=127.0.0.1:16379"), Map.of());
        assertEquals(List.of(local(16379)), resolve(client.address(), 6379));
        assertEquals(List.of(client.id() + " 127.0.0.1:16379"), context.openedForContainers());
    }

    @Test
    void aSpecLongerThanTheLimitIsRefusedUnopened() throws Exception {
        open("omni://");
        String huge = "127.0.0.1:" + "1".repeat(ContainerText.MAX_SPEC_LENGTH);
        TestContainer client = docker.start(List.of("BACKEND_6379=" + huge), Map.of());
        assertRefused(client.address(), 6379, "names a backend spec longer than the "
                + ContainerText.MAX_SPEC_LENGTH + " characters allowed");
        assertEquals(List.of(), context.openedForContainers());
    }

    /**
     * Identity is by address: while the stream is down, container A is removed and B starts
     * on A's address. B's connection must wait for the re-listing and get B's backend, never
     * A's.
     */
    @Test
    void aReusedAddressIsNeverServedTheOldContainersBackends(@TempDir Path directory) throws Exception {
        String network = "ambd-omni-reuse-" + ProcessHandle.current().pid();
        String subnet = "10.213." + (ProcessHandle.current().pid() % 200 + 20) + ".0/24";
        String address = subnet.replace(".0/24", ".50");
        String networkId = docker.createNetwork(network, subnet);
        try (UnixSocketProxy proxy = new UnixSocketProxy(directory.resolve("docker.sock"), filter.path())) {
            open("omni://?docker=unix://" + proxy.path());
            TestContainer a = docker.startOn(network, address, List.of("BACKEND_6379=127.0.0.1:16001"));
            assertEquals(List.of(local(16001)), resolve(a.address(), 6379));

            proxy.setRefusing(true);
            proxy.severAll();
            waitUntil(() -> !backend.isReady(), "stream loss noticed");
            docker.kill(a);
            waitUntil(() -> docker.isGone(a.id()), "container A removed");
            TestContainer b = docker.startOn(network, address, List.of("BACKEND_6379=127.0.0.1:16002"));
            assertEquals(a.address(), b.address());

            java.util.concurrent.CompletableFuture<List<InetSocketAddress>> answer =
                    backend.resolve(connection(b.address(), 6379)).toCompletableFuture();
            Thread.sleep(1500);
            assertTrue(!answer.isDone(), "answered from a stale directory: " + (answer.isDone() ? answer.get() : ""));

            proxy.setRefusing(false);
            assertEquals(List.of(local(16002)), answer.get(20, TimeUnit.SECONDS));
        } finally {
            docker.removeNetworkAndItsContainers(networkId);
        }
    }

    @Test
    void theFilterRefusesWhatOmniNeverNeeds() throws Exception {
        assertTrue(DockerApiFilter.allows("GET", "/v1.41/containers/abc123/json"));
        assertTrue(DockerApiFilter.allows("GET", "/events?filters=%7B%7D"));
        assertTrue(DockerApiFilter.allows("HEAD", "/_ping"));
        assertTrue(!DockerApiFilter.allows("POST", "/containers/create"));
        assertTrue(!DockerApiFilter.allows("GET", "/containers/abc/archive?path=/etc"));
        assertTrue(!DockerApiFilter.allows("GET", "/containers/abc/json/../../secrets"));
        assertTrue(!DockerApiFilter.allows("DELETE", "/containers/abc"));
        try (DockerApiFilter probe = new DockerApiFilter(filterDirectory.resolve("probe.sock"), DockerEngines.socket());
             java.nio.channels.SocketChannel channel = java.nio.channels.SocketChannel.open(
                     java.net.UnixDomainSocketAddress.of(probe.path()))) {
            channel.write(java.nio.ByteBuffer.wrap("POST /containers/create HTTP/1.1\r\nHost: docker\r\nContent-Length: 2\r\n\r\n{}"
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
            String reply = new String(java.nio.channels.Channels.newInputStream(channel).readAllBytes(),
                    java.nio.charset.StandardCharsets.US_ASCII);
            assertTrue(reply.startsWith("HTTP/1.1 403 Forbidden"), reply);
            assertEquals(List.of("POST /containers/create HTTP/1.1"), probe.refused());
            assertEquals(List.of(), probe.passed());
        }
    }

    private boolean removeNetwork(String networkId) {
        try {
            docker.client.removeNetworkCmd(networkId).exec();
            return true;
        } catch (RuntimeException stillInUse) {
            // the killed container is still being removed
            return false;
        }
    }

    private List<InetSocketAddress> resolve(InetAddress client, int port) throws Exception {
        return backend.resolve(connection(client, port)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private void assertRefused(InetAddress client, int port, String fragment) {
        assertRefusedWith(connection(client, port), fragment);
    }

    private void assertRefusedWith(ClientConnection connection, String fragment) {
        ExecutionException error = assertThrows(ExecutionException.class,
                () -> backend.resolve(connection).toCompletableFuture().get(10, TimeUnit.SECONDS));
        assertInstanceOf(RefusedConnectionException.class, error.getCause());
        assertTrue(error.getCause().getMessage().contains(fragment),
                "[" + error.getCause().getMessage() + "] should contain [" + fragment + "]");
    }

    /** Full listings so far, as /metrics counts them. */
    private int listings() {
        return backend.counters().get("omni_container_listings").intValue();
    }

    /** A connection from a container that dialled {@code port} and was redirected to 10000. */
    static ClientConnection connection(InetAddress client, int port) {
        InetSocketAddress local = new InetSocketAddress("172.17.0.99", 10000);
        return new ClientConnection(new InetSocketAddress(client, 41000), local,
                Optional.of(new InetSocketAddress("172.17.0.99", port)));
    }

    private static InetSocketAddress local(int port) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    private static void waitUntil(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for: " + what);
            }
            Thread.sleep(50);
        }
    }
}
