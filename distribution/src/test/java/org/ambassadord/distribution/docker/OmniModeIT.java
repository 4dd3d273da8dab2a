package org.ambassadord.distribution.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.ambassadord.spi.testkit.DockerEngines;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The seed's omni mode, command by command, with our image:
 * <pre>
 * docker run -d -v /var/run/docker.sock:/var/run/docker.sock --name backends ambassadord --omnimode
 * docker run --rm --cap-add NET_ADMIN --net container:backends ambassadord --setup-iptables
 * docker run --link backends:backends -e BACKEND_6379=&lt;backend&gt; busybox nc backends 6379
 * </pre>
 * The seed's {@code --privileged} set-up line runs too where the engine can grant every
 * capability. The teardown runs last.
 */
@ExtendWith(DockerSuite.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OmniModeIT {

    /** Where the image's omni mode looks for the engine; the host side is the engine under test's socket. */
    private static final String SOCKET = "/var/run/docker.sock";
    private static final String SOCKET_MOUNT = DockerEngines.socket() + ":" + SOCKET;
    private static final int PORT = 6379;

    private static String backends;
    private static String backendA;
    private static String backendB;

    @BeforeAll
    static void startOmniModeAndSetUpIptables(Containers docker) {
        String a = docker.echoBackend("omni-a", 7021, "omni-a");
        String b = docker.echoBackend("omni-b", 7022, "omni-b");
        backendA = docker.address(a) + ":7021";
        backendB = docker.address(b) + ":7022";
        backends = docker.startAmbassador("backends", "-v", SOCKET_MOUNT, docker.image(), "--omnimode");

        Docker.Result setup = setUpIptables(docker, "setup", "--cap-add", "NET_ADMIN");
        assertEquals(0, setup.status(), setup.describe());
        assertTrue(setup.out().contains("installed chain [AMBASSADORD_PREROUTING]"), setup.describe());
    }

    /** {@code docker run --rm <privilege> --net container:<backends> IMAGE --setup-iptables} */
    private static Docker.Result setUpIptables(Containers docker, String role, String... privilege) {
        List<String> command = new ArrayList<>(List.of("run", "--rm", "--name", docker.name(role)));
        command.addAll(List.of(privilege));
        command.addAll(List.of("--net", "container:" + backends, docker.image(), "--setup-iptables"));
        return Docker.run(command.toArray(String[]::new));
    }

    private static List<String> client(String... options) {
        List<String> command = new ArrayList<>(List.of("--link", backends + ":backends"));
        command.addAll(List.of(options));
        return command;
    }

    @Test
    @Order(1)
    void clientReachesTheBackendOfItsVariable(Containers docker) {
        assertEquals("omni-a", docker.reply(client("-e", "BACKEND_6379=" + backendA), "backends", PORT),
                docker.log(backends));
    }

    @Test
    @Order(1)
    void twoClientsWithDifferentValuesReachDifferentBackends(Containers docker) {
        String first = docker.reply(client("-e", "BACKEND_6379=" + backendA), "backends", PORT);
        String second = docker.reply(client("-e", "BACKEND_6379=" + backendB), "backends", PORT);

        assertEquals(List.of("omni-a", "omni-b"), List.of(first, second), docker.log(backends));
    }

    @Test
    @Order(1)
    void clientWithoutDefinitionIsRefused(Containers docker) {
        Docker.Result refused = docker.connect(client(), "backends", PORT);

        // Redirected and accepted, then closed without a byte: the relay is no open proxy.
        assertEquals(0, refused.status(), refused.describe());
        assertEquals("", refused.out(), refused.describe());
        String log = docker.log(backends);
        assertTrue(log.contains("defines no backend for port [6379]") && log.contains(docker.name("client-")), log);
    }

    @Test
    @Order(1)
    void clientDefinedByLabel(Containers docker) {
        assertEquals("omni-b", docker.reply(client("--label", "connect.6379=" + backendB), "backends", PORT),
                docker.log(backends));
    }

    /**
     * The seed's client line names an SRV service ({@code BACKEND_6379=redis.services.consul});
     * here with the DNS server in the value, since the ambassador's resolver is the host's.
     */
    @Test
    @Order(1)
    void clientWithAnSrvValue(Containers docker) throws Exception {
        String gateway = Containers.bridgeGateway();
        String backendAddress = backendB.substring(0, backendB.indexOf(':'));
        try (HostDnsmasq dns = HostDnsmasq.onSomePort(gateway, List.of(
                "--srv-host=redis.services.consul,omni-b.e2e.test,7022,10,1",
                "--host-record=omni-b.e2e.test," + backendAddress))) {
            String value = "srv://redis.services.consul?dns=" + gateway + ":" + dns.port();

            assertEquals("omni-b", docker.reply(client("-e", "BACKEND_6379=" + value), "backends", PORT),
                    docker.log(backends));
        }
    }

    @Test
    @Order(1)
    void setUpTwiceChangesNothing(Containers docker) {
        Docker.Result again = setUpIptables(docker, "setup-again", "--cap-add", "NET_ADMIN");

        assertEquals(0, again.status(), again.describe());
        assertTrue(again.out().contains("rules already in place, nothing changed"), again.describe());
    }

    /** The relay is not root: user ambassadord, no capabilities, the socket's group for the Docker API. */
    @Test
    @Order(1)
    void relayRunsUnprivilegedWithTheSocketsGroup(Containers docker) throws Exception {
        int socketGroup = (Integer) Files.getAttribute(DockerEngines.socket(), "unix:gid");
        String status = docker.processStatus(backends);

        assertTrue(status.contains("\nUid:\t10001\t10001\t10001\t10001"), status);
        assertTrue(status.contains("\nCapEff:\t0000000000000000"), status);
        assertTrue(status.lines().anyMatch(line -> line.startsWith("Groups:")
                && List.of(line.substring("Groups:".length()).strip().split("\\s+")).contains(String.valueOf(socketGroup))), status);
    }

    /**
     * The seed's own line, {@code docker run --rm --privileged --net container:backends
     * ambassadord --setup-iptables}, on a second omni container. Engines that lack a capability
     * themselves (a Docker engine inside a restricted container) cannot start any
     * {@code --privileged} container ("unable to apply caps"); there the README's
     * {@code --cap-add NET_ADMIN} line above is what runs.
     */
    @Test
    @Order(2)
    void seedsPrivilegedSetUpLine(Containers docker) {
        String privileged = docker.startAmbassador("backends-privileged", "-v", SOCKET_MOUNT, docker.image(), "--omnimode");
        Docker.Result setup = Docker.run("run", "--rm", "--name", docker.name("setup-privileged"), "--privileged",
                "--net", "container:" + privileged, docker.image(), "--setup-iptables");
        if (setup.succeeded()) {
            assertEquals("omni-a", docker.reply(List.of("--link", privileged + ":backends", "-e", "BACKEND_6379=" + backendA),
                    "backends", PORT), docker.log(privileged));
            return;
        }
        // Not our image's fault only if the engine refuses every --privileged container alike.
        assertTrue(setup.err().contains("unable to apply caps"), setup.describe());
        Docker.Result probe = Docker.run("run", "--rm", "--name", docker.name("privileged-probe"), "--privileged",
                TestImages.busybox(), "true");
        assertFalse(probe.succeeded(), "busybox runs --privileged but our set-up does not: " + setup.describe());
        assertTrue(probe.err().contains("unable to apply caps"), probe.describe());
    }

    /** {@code --teardown-iptables}: afterwards nothing listens on 6379 of the ambassador. */
    @Test
    @Order(3)
    void teardownRemovesTheRedirect(Containers docker) {
        Docker.Result teardown = Docker.run("run", "--rm", "--name", docker.name("teardown"), "--cap-add", "NET_ADMIN",
                "--net", "container:" + backends, docker.image(), "--teardown-iptables");
        assertEquals(0, teardown.status(), teardown.describe());
        assertTrue(teardown.out().contains("removed chains [AMBASSADORD_PREROUTING]"), teardown.describe());

        Docker.Result direct = docker.connect(client("-e", "BACKEND_6379=" + backendA), "backends", PORT);
        assertNotEquals(0, direct.status(), direct.describe());
        assertTrue(direct.err().contains("Connection refused"), direct.describe());
    }
}
