package org.ambassadord.plugin.omni;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.ambassadord.spi.BackendSpecException;

/**
 * What a container writes — {@code BACKEND_<port>} variables and {@code connect.<port>}
 * labels — is hostile input: it gives specs only for ports in range, never blank, and its
 * text as logged never contains a control character or a line break; the omni spec itself
 * parses or is refused with {@link BackendSpecException}.
 */
class ContainerInputFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void envLabelsAndSpecsAreContained(FuzzedDataProvider data) {
        List<String> env = new ArrayList<>();
        Map<String, String> labels = new HashMap<>();
        int entries = data.consumeInt(0, 6);
        for (int i = 0; i < entries; i++) {
            String key = data.consumeBoolean() ? "BACKEND_" + data.consumeString(6) : data.consumeString(16);
            String value = data.consumeString(80);
            if (data.consumeBoolean()) {
                env.add(key + "=" + value);
            } else {
                labels.put(data.consumeBoolean() ? "connect." + data.consumeString(6) : key, value);
            }
        }
        String spec = data.consumeRemainingAsString();
        Map<Integer, String> specs = ContainerRecord.backendSpecs(env, labels);
        specs.forEach((port, backend) -> {
            assertTrue(port >= 1 && port <= 65535, specs.toString());
            assertFalse(backend.isBlank(), specs.toString());
            String logged = ContainerText.printable(backend);
            assertTrue(logged.chars().noneMatch(c -> c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029),
                    logged);
        });
        try {
            OmniSpec.parse(spec, Map.of());
        } catch (BackendSpecException refused) {
            assertNotNull(refused.getMessage());
        }
    }
}
