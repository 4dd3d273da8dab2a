package org.ambassadord.spi.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;

import org.ambassadord.spi.Backend;
import org.ambassadord.spi.BackendProvider;
import org.ambassadord.spi.BackendSpecException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * What every {@link BackendProvider} promises, written once. A plugin's test extends it and
 * names its provider, a spec that opens without a live server, and specs that must be
 * refused with the words the user should see; a provider that reads the environment
 * overrides {@link #environment()}.
 */
public abstract class BackendProviderContract {

    /** A malformed spec and a fragment its error message must contain. */
    public record BadSpec(String spec, String messageFragment) {
    }

    /** The context specs are opened with; made before each test from {@link #environment()}. */
    protected TestProviderContext context;

    /** The provider under test, freshly constructed. */
    protected abstract BackendProvider provider();

    /** A well-formed spec that opens without needing its server to be reachable. */
    protected abstract String validSpec();

    /** Malformed specs, each with a fragment its one-line message must contain. */
    protected abstract List<BadSpec> badSpecs();

    /** The listen ports {@link #validSpec()} implies. */
    protected abstract Set<Integer> expectedListenPorts();

    /**
     * The environment the provider sees, empty unless a provider reads it (links mode reads
     * Docker's link variables there).
     */
    protected Map<String, String> environment() {
        return Map.of();
    }

    @BeforeEach
    void createContext() {
        context = new TestProviderContext(environment());
    }

    @AfterEach
    void closeContext() {
        context.close();
    }

    @Test
    void schemeIsLowercaseAndPlain() {
        String scheme = provider().scheme();
        assertTrue(scheme.matches("[a-z][a-z0-9+.-]*"), "scheme [" + scheme + "] must be a lowercase URL scheme");
    }

    @Test
    void isFoundByServiceLoaderUnderItsScheme() {
        Set<String> schemes = ServiceLoader.load(BackendProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .map(BackendProvider::scheme)
                .collect(Collectors.toSet());
        assertTrue(schemes.contains(provider().scheme()),
                "module-info must provide " + provider().scheme() + "; ServiceLoader found " + schemes);
    }

    @Test
    void opensValidSpecWithItsListenPortsAndClosesIdempotently() throws Exception {
        Backend backend = provider().open(validSpec(), context);
        try {
            assertEquals(expectedListenPorts(), backend.listenPorts());
        } finally {
            backend.close();
            backend.close();
        }
    }

    @TestFactory
    List<DynamicTest> refusesBadSpecsWithOneLineMessage() {
        return badSpecs().stream()
                .map(bad -> DynamicTest.dynamicTest("refuses [" + bad.spec() + "]", () -> {
                    BackendSpecException error = assertThrows(BackendSpecException.class,
                            () -> provider().open(bad.spec(), context).close());
                    String message = error.getMessage();
                    assertFalse(message == null || message.isBlank(), "message must say what is wrong");
                    assertFalse(message.contains("\n"), "message must be one line: " + message);
                    assertTrue(message.contains(bad.messageFragment()),
                            "message [" + message + "] should contain [" + bad.messageFragment() + "]");
                }))
                .toList();
    }
}
