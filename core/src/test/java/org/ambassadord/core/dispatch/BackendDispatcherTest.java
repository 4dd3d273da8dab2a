package org.ambassadord.core.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;

import org.ambassadord.core.plugin.Discovered;
import org.ambassadord.spi.Backend;
import org.ambassadord.spi.BackendProvider;
import org.ambassadord.spi.BackendSpecException;
import org.ambassadord.spi.ClientConnection;
import org.ambassadord.spi.ProviderContext;
import org.junit.jupiter.api.Test;

class BackendDispatcherTest {

    /** A provider that records the spec it opened. */
    private record NamedProvider(String scheme, Predicate<String> claims) implements BackendProvider {
        @Override
        public boolean claimsSchemelessSpec(String spec) {
            return claims.test(spec);
        }

        @Override
        public Backend open(String spec, ProviderContext context) {
            return new OpenedBackend(scheme, spec, context);
        }
    }

    private record OpenedBackend(String scheme, String spec, ProviderContext context) implements Backend {
        @Override
        public CompletionStage<List<InetSocketAddress>> resolve(ClientConnection connection) {
            return CompletableFuture.completedFuture(List.of());
        }

        @Override
        public Set<Integer> listenPorts() {
            return Set.of(10000);
        }

        @Override
        public void close() {
        }
    }

    private static Discovered<BackendProvider> discovered(BackendProvider provider, String module) {
        return new Discovered<>(provider, module, "1", "built-in");
    }

    private static BackendDispatcher dispatcher(BackendProvider... providers) throws Exception {
        return BackendDispatcher.create(
                java.util.Arrays.stream(providers).map(provider -> discovered(provider, "m." + provider.scheme())).toList(),
                null, Map.of("K", "V"));
    }

    private final NamedProvider hostPort = new NamedProvider("static", spec -> spec.contains(":"));
    private final NamedProvider srv = new NamedProvider("srv", spec -> !spec.contains(":"));
    private final NamedProvider etcd = new NamedProvider("etcd", spec -> false);

    @Test
    void schemePicksItsProvider() throws Exception {
        OpenedBackend backend = (OpenedBackend) dispatcher(hostPort, srv, etcd).open("etcd://127.0.0.1:2379/app");
        assertEquals("etcd", backend.scheme());
        assertEquals("etcd://127.0.0.1:2379/app", backend.spec());
    }

    @Test
    void schemeIsCaseInsensitive() throws Exception {
        assertEquals("etcd", ((OpenedBackend) dispatcher(etcd).open("ETCD://h:1/p")).scheme());
    }

    @Test
    void schemelessSpecGoesToItsClaimant() throws Exception {
        BackendDispatcher dispatcher = dispatcher(hostPort, srv, etcd);
        assertEquals("static", ((OpenedBackend) dispatcher.open("redis.example.com:6379")).scheme());
        assertEquals("srv", ((OpenedBackend) dispatcher.open("redis.service.consul")).scheme());
    }

    @Test
    void unknownSchemeListsTheKnownOnes() throws Exception {
        BackendSpecException error = assertThrows(BackendSpecException.class,
                () -> dispatcher(hostPort, srv, etcd).open("consul://127.0.0.1:8500/x"));
        assertEquals("no provider for scheme [consul] of [consul://127.0.0.1:8500/x]; known [etcd, srv, static]",
                error.getMessage());
    }

    @Test
    void unclaimedAndAmbiguousSpecsAreRefused() throws Exception {
        assertTrue(assertThrows(BackendSpecException.class, () -> dispatcher(etcd).open("redis:6379"))
                .getMessage().startsWith("no provider understands [redis:6379]"));
        NamedProvider greedy = new NamedProvider("greedy", spec -> true);
        assertTrue(assertThrows(BackendSpecException.class, () -> dispatcher(hostPort, greedy).open("redis:6379"))
                .getMessage().contains("claimed by several providers"));
        assertEquals("the backend spec is empty",
                assertThrows(BackendSpecException.class, () -> dispatcher(hostPort).open("  ")).getMessage());
    }

    @Test
    void duplicateSchemeNamesBothModules() {
        NamedProvider again = new NamedProvider("static", spec -> false);
        BackendDispatcher.DuplicateSchemeException error = assertThrows(BackendDispatcher.DuplicateSchemeException.class,
                () -> BackendDispatcher.create(List.of(discovered(hostPort, "first.module"), discovered(again, "second.module")),
                        null, Map.of()));
        assertTrue(error.getMessage().contains("[first.module]") && error.getMessage().contains("[second.module]"),
                error.getMessage());
    }

    @Test
    void backendsGetTheDispatcherAsContextForNestedSpecs() throws Exception {
        BackendDispatcher dispatcher = dispatcher(hostPort, srv);
        OpenedBackend outer = (OpenedBackend) dispatcher.open("srv://redis.service.consul");
        assertSame(dispatcher, outer.context());
        assertEquals("static", ((OpenedBackend) outer.context().open("10.0.0.1:6379")).scheme());
        assertEquals(Map.of("K", "V"), outer.context().environment());
    }

    /** Issue 21: a plugin's bug is one line naming the plugin, not an exception through the CLI. */
    @Test
    void aProviderThatThrowsIsASpecErrorNamingThePlugin() throws Exception {
        BackendProvider broken = new BackendProvider() {
            @Override
            public String scheme() {
                return "broken";
            }

            @Override
            public Backend open(String spec, ProviderContext context) {
                throw new IllegalArgumentException("URLDecoder: Incomplete trailing escape\n(%) pattern");
            }
        };
        BackendSpecException refused = org.junit.jupiter.api.Assertions.assertThrows(BackendSpecException.class,
                () -> dispatcher(broken).open("broken://?x=%"));
        assertEquals("plugin [m.broken] (built-in) failed to open [broken://?x=%]: java.lang.IllegalArgumentException:"
                + " URLDecoder: Incomplete trailing escape\\n(%) pattern", refused.getMessage());
    }

    @Test
    void schemeOfReadsOnlyRealSchemes() {
        assertEquals(Optional.of("etcd"), BackendDispatcher.schemeOf("etcd://h/p"));
        assertEquals(Optional.empty(), BackendDispatcher.schemeOf("redis:6379"));
        assertEquals(Optional.empty(), BackendDispatcher.schemeOf("[::1]:6379"));
    }

    /** The operator's specs are held to no address rule for their own traffic, and no name is resolved to say so. */
    @Test
    void theOperatorsContextDeniesNoControlAddress() throws Exception {
        BackendDispatcher dispatcher = dispatcher(hostPort);
        assertEquals(Optional.empty(), dispatcher.controlDenial("127.0.0.1", 8500));
        assertEquals(Optional.empty(), dispatcher.controlDenial("agent.invalid", 8500));
        assertEquals(Optional.empty(), dispatcher.controlDenial(new InetSocketAddress("127.0.0.1", 2379)));
    }
}
