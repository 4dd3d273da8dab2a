package org.ambassadord.plugin.etcd;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.ambassadord.spi.BackendSpecException;

/**
 * etcd specs ({@code etcd://host:port,host:port/key}) and the values stored under their keys
 * ({@code host:port} endpoints, written by whoever can write to etcd): each parses in range or
 * is refused with its own exception — the spec with {@link BackendSpecException}, a stored
 * value with {@link IllegalArgumentException} (the backend then skips that value).
 */
class EtcdInputFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void specsAndStoredValuesParseOrAreRefused(FuzzedDataProvider data) {
        boolean spec = data.consumeBoolean();
        String text = data.consumeRemainingAsString();
        if (spec) {
            try {
                EtcdSpec parsed = EtcdSpecParser.parse(text);
                assertFalse(parsed.endpoints().isEmpty(), text);
                parsed.endpoints().forEach(endpoint -> assertTrue(endpoint.port() >= 1 && endpoint.port() <= 65535, text));
            } catch (BackendSpecException refused) {
                assertNotNull(refused.getMessage());
            }
        } else {
            try {
                HostPort endpoint = EndpointParser.parse(text);
                assertTrue(endpoint.port() >= 1 && endpoint.port() <= 65535, text);
                assertFalse(endpoint.host().isEmpty(), text);
            } catch (IllegalArgumentException refused) {
                assertNotNull(refused.getMessage());
            }
        }
    }
}
