package org.ambassadord.plugin.links;

import static org.ambassadord.plugin.links.DockerEnvironments.link;
import static org.ambassadord.plugin.links.DockerEnvironments.merge;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.ambassadord.spi.BackendSpecException;
import org.junit.jupiter.api.Test;

/** Reading Docker's link variables out of an environment. */
class LinkVariablesTest {

    @Test
    void readsEveryTcpLinkPortAndNothingElse() throws Exception {
        Map<String, String> environment = merge(
                link("redis", "172.17.0.2", 6379),
                link("http", "172.17.0.3", 80, 443),
                Map.of("DNS_PORT_53_UDP", "udp://172.17.0.4:53", "DNS_PORT_53_UDP_PROTO", "udp"));

        assertEquals(List.of(
                        new DockerLink("HTTP", 80, "172.17.0.3", 80, "HTTP_PORT_80_TCP"),
                        new DockerLink("HTTP", 443, "172.17.0.3", 443, "HTTP_PORT_443_TCP"),
                        new DockerLink("REDIS", 6379, "172.17.0.2", 6379, "REDIS_PORT_6379_TCP")),
                LinkVariables.parse(environment));
    }

    @Test
    void ignoresTheLinkedContainersOwnLinkVariables() throws Exception {
        // The linked container "app" was itself started with --link db:db; Docker passes its
        // environment on as APP_ENV_*.
        Map<String, String> environment = merge(link("app", "172.17.0.5", 8080),
                Map.of("APP_ENV_DB_PORT_5432_TCP", "tcp://172.17.0.9:5432"));

        assertEquals(List.of(new DockerLink("APP", 8080, "172.17.0.5", 8080, "APP_PORT_8080_TCP")),
                LinkVariables.parse(environment));
    }

    @Test
    void aliasesMayContainEnvWhenNoLinkOwnsThePrefix() throws Exception {
        Map<String, String> environment = Map.of("MY_ENV_SVC_PORT_9000_TCP", "tcp://10.0.0.1:9000");

        assertEquals(List.of(new DockerLink("MY_ENV_SVC", 9000, "10.0.0.1", 9000, "MY_ENV_SVC_PORT_9000_TCP")),
                LinkVariables.parse(environment));
    }

    @Test
    void readsIpv6AndHostNameAddresses() throws Exception {
        Map<String, String> environment = Map.of(
                "V6_PORT_6379_TCP", "tcp://[fd00::2]:6379",
                "NAMED_PORT_5432_TCP", "tcp://db.links.test:5432");

        assertEquals(List.of(
                        new DockerLink("NAMED", 5432, "db.links.test", 5432, "NAMED_PORT_5432_TCP"),
                        new DockerLink("V6", 6379, "fd00::2", 6379, "V6_PORT_6379_TCP")),
                LinkVariables.parse(environment));
    }

    @Test
    void twoLinksOnOnePortNameBothAliases() throws Exception {
        List<DockerLink> links = LinkVariables.parse(merge(link("redis", "172.17.0.2", 6379), link("cache", "172.17.0.3", 6379)));

        String message = assertThrows(BackendSpecException.class, () -> LinkVariables.byPort(links)).getMessage();
        assertTrue(message.startsWith("links [CACHE] and [REDIS] both use port [6379]"), message);
    }

    @Test
    void refusesMalformedValuesAndPorts() {
        assertEquals("link variable [REDIS_PORT_6379_TCP] has value [172.17.0.2:6379]; expected tcp://addr:port as Docker sets it",
                assertThrows(BackendSpecException.class,
                        () -> LinkVariables.parse(Map.of("REDIS_PORT_6379_TCP", "172.17.0.2:6379"))).getMessage());
        assertEquals("link variable [REDIS_PORT_99999_TCP] has port [99999], out of range 1-65535",
                assertThrows(BackendSpecException.class,
                        () -> LinkVariables.parse(Map.of("REDIS_PORT_99999_TCP", "tcp://172.17.0.2:6379"))).getMessage());
        assertEquals("link variable [REDIS_PORT_6379_TCP] has port [0], out of range 1-65535",
                assertThrows(BackendSpecException.class,
                        () -> LinkVariables.parse(Map.of("REDIS_PORT_6379_TCP", "tcp://172.17.0.2:0"))).getMessage());
    }

    @Test
    void anEnvironmentWithoutLinksHasNone() throws Exception {
        assertEquals(List.of(), LinkVariables.parse(merge(Map.of("REDIS_PORT", "6379", "PORT_80_TCP", "tcp://1.2.3.4:80"))));
    }
}
