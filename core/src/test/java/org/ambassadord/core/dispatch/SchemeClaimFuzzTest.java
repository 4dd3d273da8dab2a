package org.ambassadord.core.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.ambassadord.core.plugin.Discovered;
import org.ambassadord.spi.Backend;
import org.ambassadord.spi.BackendProvider;
import org.ambassadord.spi.BackendSpecException;
import org.ambassadord.spi.ClientConnection;
import org.ambassadord.spi.ProviderContext;

/**
 * Any spec — the command line's, or a container's in omni mode — through the dispatcher's
 * scheme claiming: it reaches the provider of its scheme (case-insensitive), or the one
 * provider that claims a schemeless spec, or ends in a {@link BackendSpecException} of one
 * line; a provider that throws anything else (a third-party plugin's bug) becomes that too.
 */
class SchemeClaimFuzzTest {

    /** Claims per a rule, and fails in its own way when the spec asks it to. */
    private record Provider(String scheme, java.util.function.Predicate<String> claims) implements BackendProvider {
        @Override
        public boolean claimsSchemelessSpec(String spec) {
            return claims.test(spec);
        }

        @Override
        public Backend open(String spec, ProviderContext context) throws BackendSpecException {
            if (spec.contains("!npe")) {
                throw new NullPointerException("bug\nFORGED");
            }
            if (spec.contains("!link")) {
                throw new NoClassDefFoundError("org/example/Missing");
            }
            if (spec.contains("!refuse")) {
                throw new BackendSpecException("refused [" + ProviderContext.printable(spec) + "]");
            }
            return new Opened(scheme, spec);
        }
    }

    private record Opened(String scheme, String spec) implements Backend {
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

    private static final List<Provider> PROVIDERS = List.of(
            new Provider("static", spec -> spec.indexOf(':') > 0 && !spec.contains("/")),
            new Provider("srv", spec -> spec.indexOf('.') > 0 && spec.indexOf(':') < 0),
            new Provider("etcd", spec -> false),
            new Provider("consul-service", spec -> false),
            new Provider("x+y.z-w", spec -> spec.startsWith("both")),
            new Provider("greedy", spec -> spec.startsWith("both")));

    @FuzzTest(maxDuration = "10s")
    @DictionaryEntries({"://", "static", "srv", "etcd", "ETCD", "consul-service", "x+y.z-w", "greedy", "both", ":", ".",
        "/", "!npe", "!link", "!refuse", " ", "\\x0a", "1"})
    void everySpecReachesItsProviderOrIsOneLineRefused(FuzzedDataProvider data) throws Exception {
        BackendDispatcher dispatcher = BackendDispatcher.create(
                PROVIDERS.stream().map(provider -> new Discovered<BackendProvider>(provider, "m." + provider.scheme(), "1",
                        "built-in")).toList(), null, Map.of());
        String spec = data.consumeRemainingAsString();
        Optional<String> scheme = BackendDispatcher.schemeOf(spec.strip());
        Opened opened;
        try {
            opened = (Opened) dispatcher.open(spec);
        } catch (BackendSpecException refused) {
            String message = refused.getMessage();
            assertTrue(message != null && message.chars().noneMatch(c -> c < 0x20), "not one line: " + message);
            return;
        }
        assertEquals(spec.strip(), opened.spec());
        if (scheme.isPresent()) {
            assertEquals(scheme.get(), opened.scheme(), spec);
            String body = spec.strip();
            assertTrue(body.regionMatches(true, 0, scheme.get() + "://", 0, scheme.get().length() + 3), spec);
        } else {
            long claimants = PROVIDERS.stream().filter(provider -> provider.claims().test(spec.strip())).count();
            assertEquals(1, claimants, spec);
        }
    }
}
