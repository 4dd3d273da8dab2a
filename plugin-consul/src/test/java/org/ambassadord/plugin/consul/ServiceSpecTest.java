package org.ambassadord.plugin.consul;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.ambassadord.spi.BackendSpecException;
import org.junit.jupiter.api.Test;

/** How {@code consul-service://} specs parse, and the one-line refusals of bad ones (issue 23). */
class ServiceSpecTest {

    @Test
    void everyOptionParses() throws BackendSpecException {
        ServiceSpec spec = ServiceSpec.parse("consul-service://consul.internal/web?tag=v2&tag=eu&dc=dc2&near=_agent"
                + "&node-meta=rack:r1&node-meta=zone:a&health=warning&filter=Service.Meta.v%20==%20%222%22&wait=30s&stale");
        assertEquals("consul.internal", spec.agent().host());
        assertEquals(8500, spec.agent().port());
        assertEquals("web", spec.service());
        assertEquals(List.of("v2", "eu"), spec.tags());
        assertEquals(Optional.of("dc2"), spec.datacenter());
        assertEquals(Optional.of("_agent"), spec.near());
        assertEquals(List.of("rack:r1", "zone:a"), spec.nodeMeta());
        assertEquals(ServiceSpec.HealthFilter.WARNING, spec.health());
        assertEquals(Optional.of("Service.Meta.v == \"2\""), spec.filter());
        assertEquals(Duration.ofSeconds(30), spec.waitTime());
        assertTrue(spec.stale());
    }

    @Test
    void defaultsArePassingFiveMinutesAndConsistent() throws BackendSpecException {
        ServiceSpec spec = ServiceSpec.parse("consul-service://[::1]:8501/db/");
        assertEquals("::1", spec.agent().host());
        assertEquals(8501, spec.agent().port());
        assertEquals("db", spec.service());
        assertEquals(ServiceSpec.HealthFilter.PASSING, spec.health());
        assertEquals(ConsulSpec.DEFAULT_WAIT, spec.waitTime());
        assertFalse(spec.stale());
    }

    @Test
    void badInputIsOneLineNamingThePart() {
        String[][] cases = {
            {"consul-service://127.0.0.1/", "no service name"},
            {"consul-service://127.0.0.1", "no service name"},
            {"consul-service://127.0.0.1/web?health=sometimes", "health [sometimes]"},
            {"consul-service://127.0.0.1/web?node-meta=rack", "node-meta [rack]"},
            {"consul-service://127.0.0.1/web?node-meta=:r1", "node-meta [:r1]"},
            {"consul-service://127.0.0.1/web?colour=red", "unknown option [colour]"},
            {"consul-service://127.0.0.1/web?dc=a%20b", "datacenter [a b]"},
            {"consul-service://127.0.0.1/web?tag=", "option [tag]"},
            {"consul-service://127.0.0.1/web?stale=yes", "option [stale]"},
            {"consul-service://127.0.0.1/web?dc=a&dc=b", "given twice"},
            {"consul-service://127.0.0.1/w%20b", "service name [w%20b]"},
            {"consul-service://127.0.0.1/web?wait=1h", "wait [1h]"},
            {"consul-service://127.0.0.1/web?tag=%zz", "option [tag]"},
            {"consul-service://127.0.0.1/web?tag=" + "x".repeat(2000), "longer than 1024"},
            {"consul-service://127.0.0.1/web?\nFORGED=1", "unknown option [\\nFORGED]"},
        };
        for (String[] c : cases) {
            BackendSpecException refused = assertThrows(BackendSpecException.class, () -> ServiceSpec.parse(c[0]), c[0]);
            assertTrue(refused.getMessage().contains(c[1]), c[0] + " -> " + refused.getMessage());
            assertTrue(refused.getMessage().chars().noneMatch(ch -> ch < 0x20), refused.getMessage());
        }
    }
}
