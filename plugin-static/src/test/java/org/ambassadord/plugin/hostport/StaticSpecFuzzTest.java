package org.ambassadord.plugin.hostport;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.ambassadord.spi.BackendSpecException;

/**
 * Static specs come from the command line and, in omni mode, from what containers write:
 * whatever the text, the parser names endpoints with a port in range or refuses with
 * {@link BackendSpecException} — never another exception.
 */
class StaticSpecFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void parsesOrRefuses(FuzzedDataProvider data) {
        String spec = data.consumeRemainingAsString();
        try {
            List<HostPort> endpoints = StaticSpecParser.parse(spec);
            assertFalse(endpoints.isEmpty(), spec);
            for (HostPort endpoint : endpoints) {
                assertTrue(endpoint.port() >= 1 && endpoint.port() <= 65535, spec);
                assertFalse(endpoint.host().isEmpty(), spec);
            }
        } catch (BackendSpecException refused) {
            assertNotNull(refused.getMessage());
        }
    }
}
