package org.ambassadord.core.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import org.ambassadord.core.dispatch.BackendDispatcher;
import org.ambassadord.core.plugin.Discovered;
import org.ambassadord.spi.Backend;
import org.ambassadord.spi.BackendProvider;
import org.ambassadord.spi.BackendSpecException;
import org.ambassadord.spi.ClientConnection;
import org.ambassadord.spi.ProviderContext;
import org.junit.jupiter.api.Test;

/**
 * The restricted context of container-chosen specs, through the real dispatcher: schemes,
 * caps, the upstream policy on every answer, and credential hosts.
 */
class ContainerContextTest {

    private static final ClientConnection CONNECTION = ClientConnection.of(
            new InetSocketAddress("172.17.0.5", 40000), new InetSocketAddress("172.17.0.9", 10000));

    /** {@code fixed://a:p,b:p}: those endpoints, or whatever {@link #answer} says now. */
    private final class FixedProvider implements BackendProvider {
        @Override
        public String scheme() {
            return "fixed";
        }

        @Override
        public Backend open(String spec, ProviderContext context) {
            opened.incrementAndGet();
            List<InetSocketAddress> endpoints = new ArrayList<>();
            for (String endpoint : spec.substring("fixed://".length()).split(",")) {
                int colon = endpoint.lastIndexOf(':');
                endpoints.add(new InetSocketAddress(endpoint.substring(0, colon), Integer.parseInt(endpoint.substring(colon + 1))));
            }
            authenticates.add(context.mayAuthenticateTo(endpoints.get(0).getHostString(), endpoints.get(0).getPort()));
            return new Backend() {
                @Override
                public CompletionStage<List<InetSocketAddress>> resolve(ClientConnection connection) {
                    return CompletableFuture.completedFuture(answer.orElse(endpoints));
                }

                @Override
                public Set<Integer> listenPorts() {
                    return Set.of(10000);
                }

                @Override
                public void close() {
                    closed.incrementAndGet();
                }
            };
        }
    }

    /** Stands for omni and links: schemes no container may use. */
    private record NamedProvider(String scheme) implements BackendProvider {
        @Override
        public Backend open(String spec, ProviderContext context) throws BackendSpecException {
            throw new BackendSpecException("must never be opened for a container");
        }
    }

    private final AtomicInteger opened = new AtomicInteger();
    private final AtomicInteger closed = new AtomicInteger();
    private final List<Boolean> authenticates = new ArrayList<>();
    private Optional<List<InetSocketAddress>> answer = Optional.empty();

    private BackendDispatcher dispatcher(ContainerSpecPolicy policy) throws Exception {
        List<Discovered<BackendProvider>> providers = List.of(
                new Discovered<>(new FixedProvider(), "m.fixed", "1", "built-in"),
                new Discovered<>(new NamedProvider("omni"), "m.omni", "1", "built-in"),
                new Discovered<>(new NamedProvider("links"), "m.links", "1", "built-in"));
        return BackendDispatcher.create(providers, null, Map.of(), Optional.of(policy));
    }

    private static ContainerSpecPolicy policy(int maxSpecs, int perContainer, String... credentialHosts) {
        return new ContainerSpecPolicy(Set.of("fixed"),
                UpstreamPolicy.forContainers(List.of(), List.of(), Set::of), List.of(credentialHosts), maxSpecs, perContainer);
    }

    private static String refusal(Backend backend) {
        ExecutionException error = assertThrows(ExecutionException.class,
                () -> backend.resolve(CONNECTION).toCompletableFuture().get());
        return error.getCause().getMessage();
    }

    @Test
    void schemesOutsideTheListAreRefusedWithoutOpening() throws Exception {
        ProviderContext container = dispatcher(policy(10, 10)).forContainer("abc123", "web");
        assertEquals("scheme [omni] is not allowed in specs containers choose; allowed [fixed] (--omni-schemes)",
                assertThrows(BackendSpecException.class, () -> container.open("omni://")).getMessage());
        assertEquals("scheme [links] is not allowed in specs containers choose; allowed [fixed] (--omni-schemes)",
                assertThrows(BackendSpecException.class, () -> container.open("links://")).getMessage());
        assertEquals(0, opened.get());
    }

    @Test
    void omniAndLinksCanNeverBeAllowed() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> new ContainerSpecPolicy(
                Set.of("static", "omni"), UpstreamPolicy.forOperator(List.of(), List.of()), List.of(), 1, 1));
        assertEquals("--omni-schemes may not list [omni]: a container would get the ambassador's own view of the host",
                error.getMessage());
    }

    @Test
    void everyAnswerPassesThePolicyAtConnectTime() throws Exception {
        Backend backend = dispatcher(policy(10, 10)).forContainer("abc123", "web").open("fixed://10.0.0.5:6379");
        assertEquals(List.of(new InetSocketAddress("10.0.0.5", 6379)), backend.resolve(CONNECTION).toCompletableFuture().get());

        // The store's answer changes after opening: the new, denied endpoint is still caught.
        answer = Optional.of(List.of(new InetSocketAddress("169.254.169.254", 80)));
        assertEquals("endpoint [169.254.169.254:80] is link-local (cloud metadata lives at 169.254.169.254), denied for"
                + " container-chosen specs", refusal(backend));

        answer = Optional.of(List.of(new InetSocketAddress("127.0.0.1", 7777), new InetSocketAddress("10.0.0.6", 6379)));
        assertEquals(List.of(new InetSocketAddress("10.0.0.6", 6379)), backend.resolve(CONNECTION).toCompletableFuture().get());
    }

    @Test
    void capsPerContainerAndInAllNameTheOption() throws Exception {
        BackendDispatcher dispatcher = dispatcher(policy(3, 2));
        ProviderContext first = dispatcher.forContainer("aaaaaaaaaaaaaaaa", "first");
        ProviderContext second = dispatcher.forContainer("bbbbbbbbbbbbbbbb", "second");
        Backend one = first.open("fixed://10.0.0.1:1");
        first.open("fixed://10.0.0.1:2");
        IllegalStateException perContainer = assertThrows(IllegalStateException.class, () -> first.open("fixed://10.0.0.1:3"));
        assertEquals("container [first (aaaaaaaaaaaa)] already has 2 backends open, the most one container may have"
                + " (--omni-max-specs-per-container 2)", perContainer.getMessage());
        second.open("fixed://10.0.0.2:1");
        IllegalStateException total = assertThrows(IllegalStateException.class, () -> second.open("fixed://10.0.0.2:2"));
        assertEquals("3 backends are open for containers, the most allowed (--omni-max-specs 3)", total.getMessage());
        assertEquals(3, opened.get());

        one.close();
        one.close();
        assertEquals(1, closed.get());
        assertEquals(2, dispatcher.containers().orElseThrow().openBackends());
        assertInstanceOf(Backend.class, second.open("fixed://10.0.0.2:2"));
    }

    @Test
    void aSpecThatFailsToOpenGivesItsSlotBack() throws Exception {
        BackendDispatcher dispatcher = dispatcher(policy(1, 1));
        ProviderContext container = dispatcher.forContainer("cccccccccccc", "c");
        assertThrows(BackendSpecException.class, () -> container.open("nope://x"));
        assertThrows(BackendSpecException.class, () -> container.open("omni://"));
        assertEquals(0, dispatcher.containers().orElseThrow().openBackends());
        container.open("fixed://10.0.0.1:1");
    }

    @Test
    void credentialsGoOnlyToCredentialHosts() throws Exception {
        BackendDispatcher dispatcher = dispatcher(policy(10, 10, "10.0.0.7:8500", "[fd00::7]"));
        ProviderContext container = dispatcher.forContainer("dddddddddddd", "d");
        container.open("fixed://10.0.0.7:8500");
        container.open("fixed://10.0.0.7:8501");
        container.open("fixed://10.0.0.8:8500");
        container.open("fixed://[fd00::7]:1234");
        dispatcher.open("fixed://10.0.0.8:8500");
        assertEquals(List.of(true, false, false, true, true), authenticates);
        // Nesting from a container's backend stays the container's.
        assertFalse(container.forContainer("other", "other").mayAuthenticateTo("10.0.0.8", 8500));
        assertTrue(dispatcher.mayAuthenticateTo("anything", 1));
    }

    @Test
    void withoutAPolicyContainersOpenNothing() throws Exception {
        BackendDispatcher plain = BackendDispatcher.create(
                List.of(new Discovered<>(new FixedProvider(), "m.fixed", "1", "built-in")), null, Map.of());
        ProviderContext container = plain.forContainer("eeee", "e");
        assertEquals("this host has no policy for container-chosen specs, so it opens none",
                assertThrows(BackendSpecException.class, () -> container.open("fixed://10.0.0.1:1")).getMessage());
        assertFalse(container.mayAuthenticateTo("10.0.0.1", 1));
        assertEquals(0, opened.get());
    }
}
