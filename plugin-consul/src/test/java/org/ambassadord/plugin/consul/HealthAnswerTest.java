package org.ambassadord.plugin.consul;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Reading the health endpoint's answer (issue 23): addresses, worst status, maintenance, weights, hostile shapes. */
class HealthAnswerTest {

    private static final String ANSWER = """
            [
             {"Node":{"Node":"n1","Address":"10.0.0.1"},
              "Service":{"ID":"web-1","Service":"web","Tags":["v1"],"Address":"","Port":8080,"Weights":{"Passing":3,"Warning":1}},
              "Checks":[{"CheckID":"serfHealth","Status":"passing","ServiceID":""},
                        {"CheckID":"web-1-ttl","Status":"warning","ServiceID":"web-1"}]},
             {"Node":{"Node":"n2","Address":"10.0.0.2"},
              "Service":{"ID":"web-2","Service":"web","Tags":[],"Address":"fd00::2","Port":8080},
              "Checks":[{"CheckID":"_node_maintenance","Status":"critical","ServiceID":""}]},
             {"Node":{"Node":"n3","Address":"10.0.0.3"},"Service":{"ID":"web-3","Port":70000},"Checks":[]},
             "not an object",
             {"Node":{"Node":"n4","Address":"10.0.0.4"}}
            ]""";

    @Test
    void instancesWithTheirWorstStatusMaintenanceAndWeights() {
        HealthAnswer.Parsed parsed = HealthAnswer.parse(ANSWER);
        assertEquals(2, parsed.instances().size());
        ServiceInstance first = parsed.instances().get(0);
        assertEquals("10.0.0.1", first.host(), "Node.Address when Service.Address is empty");
        assertEquals(ServiceInstance.Status.WARNING, first.status());
        assertEquals(1, first.weight(), "a warning instance weighs Weights.Warning");
        assertTrue(first.serves(ServiceSpec.HealthFilter.WARNING));
        assertFalse(first.serves(ServiceSpec.HealthFilter.PASSING));
        ServiceInstance second = parsed.instances().get(1);
        assertEquals("fd00::2", second.host());
        assertTrue(second.maintenance());
        assertFalse(second.serves(ServiceSpec.HealthFilter.ANY), "maintenance removes it even under any");
        assertEquals(3, parsed.skipped().size(), parsed.skipped().toString());
    }

    @Test
    void anAnswerThatIsNoListIsRefusedInOneLine() {
        for (String bad : List.of("{}", "not json", "[" + "[".repeat(100_000))) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> HealthAnswer.parse(bad));
            assertTrue(refused.getMessage().startsWith("the agent's answer is not"), refused.getMessage());
        }
    }

    /** A thousand instances are read in one pass on the watcher's thread, well within a blocking query's round. */
    @Test
    void aThousandInstancesParse() {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < 1000; i++) {
            json.append(i == 0 ? "" : ",").append("{\"Node\":{\"Node\":\"n").append(i).append("\",\"Address\":\"10.1.")
                    .append(i / 250).append('.').append(i % 250 + 1).append("\"},\"Service\":{\"ID\":\"web-").append(i)
                    .append("\",\"Port\":8080,\"Tags\":[\"v1\"],\"Weights\":{\"Passing\":").append(1 + i % 5)
                    .append(",\"Warning\":1}},\"Checks\":[{\"CheckID\":\"serfHealth\",\"Status\":\"passing\"}]}");
        }
        String answer = json.append(']').toString();
        long started = System.nanoTime();
        HealthAnswer.Parsed parsed = HealthAnswer.parse(answer);
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertEquals(1000, parsed.instances().size());
        assertEquals(List.of(), parsed.skipped());
        assertTrue(millis < 2_000, "1,000 instances took " + millis + " ms");
    }
}
