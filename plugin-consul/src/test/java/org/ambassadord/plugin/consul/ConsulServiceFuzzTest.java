package org.ambassadord.plugin.consul;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.ambassadord.spi.BackendSpecException;

/**
 * {@code consul-service://} specs (a container may write one) and what a Consul agent answers on
 * the health endpoint: a spec parses or is refused in one line; an answer gives instances with
 * ports in range, weights 0-65535, and a status, or one refusal for an answer that is not a list.
 */
class ConsulServiceFuzzTest {

    @FuzzTest(maxDuration = "10s")
    @DictionaryEntries({"consul-service://", "127.0.0.1:8500/", "web", "?", "&", "=", "tag", "dc", "near", "node-meta",
        "health", "passing", "warning", "any", "filter", "wait", "stale", "%", ":", "[{", "}]", "\"Node\":{",
        "\"Service\":{", "\"Checks\":[", "\"Address\":\"", "\"Port\":", "\"Weights\":{\"Passing\":",
        "\"Status\":\"critical\"", "\"CheckID\":\"_node_maintenance\"", "\"Tags\":[", "1e999", "-1", "65536"})
    void specsAndHealthAnswersParseOrAreRefusedInOneLine(FuzzedDataProvider data) {
        String spec = data.consumeString(512);
        try {
            ServiceSpec parsed = ServiceSpec.parse(spec);
            assertTrue(!parsed.service().isEmpty(), spec);
        } catch (BackendSpecException refused) {
            assertTrue(refused.getMessage().chars().noneMatch(c -> c < 0x20), refused.getMessage());
        }
        String answer = data.consumeRemainingAsString();
        HealthAnswer.Parsed parsed;
        try {
            parsed = HealthAnswer.parse(answer);
        } catch (IllegalArgumentException refused) {
            assertTrue(refused.getMessage().startsWith("the agent's answer is not"), refused.getMessage());
            return;
        }
        for (ServiceInstance instance : parsed.instances()) {
            assertTrue(instance.port() >= 1 && instance.port() <= 65535, instance.toString());
            assertTrue(instance.weight() >= 0 && instance.weight() <= 65535, instance.toString());
            assertTrue(!instance.host().isEmpty(), instance.toString());
            assertNotNull(instance.status());
        }
        assertTrue(parsed.instances().size() <= HealthAnswer.MAX_INSTANCES);
    }
}
