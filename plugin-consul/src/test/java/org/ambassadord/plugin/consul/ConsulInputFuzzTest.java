package org.ambassadord.plugin.consul;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.ambassadord.spi.BackendSpecException;

/**
 * Consul specs ({@code consul://agent/key?dc=..&wait=..}), key paths, and the values stored
 * under keys (written by whoever can write to Consul's KV store): each parses or is refused
 * with its own exception; an encoded key decodes back to itself.
 */
class ConsulInputFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void specsKeysAndStoredValuesParseOrAreRefused(FuzzedDataProvider data) {
        int which = data.consumeInt(0, 2);
        String text = data.consumeRemainingAsString();
        switch (which) {
            case 0 -> {
                try {
                    ConsulSpec spec = ConsulSpec.parse(text);
                    assertTrue(spec.agent().port() >= 1 && spec.agent().port() <= 65535, text);
                } catch (BackendSpecException refused) {
                    assertNotNull(refused.getMessage());
                }
            }
            case 1 -> {
                try {
                    HostPort value = HostPort.parse(text);
                    assertTrue(value.port() >= 1 && value.port() <= 65535, text);
                    assertFalse(value.host().isEmpty(), text);
                } catch (IllegalArgumentException refused) {
                    assertNotNull(refused.getMessage());
                }
            }
            default -> {
                assertEquals(text, KeyPaths.decode(KeyPaths.encode(text)), "round trip");
                try {
                    KeyPaths.decode(text);
                } catch (IllegalArgumentException refused) {
                    assertNotNull(refused.getMessage());
                }
            }
        }
    }
}
