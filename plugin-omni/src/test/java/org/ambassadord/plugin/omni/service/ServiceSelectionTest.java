package org.ambassadord.plugin.omni.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.ambassadord.plugin.omni.ContainerFacts;
import org.ambassadord.plugin.omni.ContainerRecord;
import org.ambassadord.plugin.omni.NetworkAttachment;
import org.ambassadord.spi.BackendSpecException;
import org.junit.jupiter.api.Test;

/** The selection rules of {@code docker://} on synthetic directories, and the spec's grammar. */
class ServiceSelectionTest {

    private static ContainerRecord container(String id, String project, String service, String state, String health,
                                             Set<Integer> ports, NetworkAttachment... networks) {
        return new ContainerRecord(id + "0000000000000000", id, Set.of(), Map.of(), Set.of(),
                new ContainerFacts(state, health, service, project, ports, List.of(networks)));
    }

    private static NetworkAttachment on(String network, String ipv4, String ipv6, String... aliases) throws Exception {
        return new NetworkAttachment(network, ipv4 == null ? Optional.empty() : Optional.of(InetAddress.getByName(ipv4)),
                ipv6 == null ? Optional.empty() : Optional.of(InetAddress.getByName(ipv6)), Set.of(aliases));
    }

    private static List<InetSocketAddress> endpoints(ServiceSelection.Result result) {
        return result.members().stream().map(ServiceSelection.Member::endpoint).toList();
    }

    @Test
    void theAmbassadorsOwnProjectIsTheDefaultAndOtherwiseProjectsAreNotMixed() throws Exception {
        ContainerRecord a = container("a", "shop", "web", "running", "healthy", Set.of(80), on("shop_default", "10.1.0.2", null));
        ContainerRecord b = container("b", "blog", "web", "running", "healthy", Set.of(80), on("blog_default", "10.2.0.2", null));
        ContainerRecord self = container("self", "shop", "ambassador", "running", "", Set.of(), on("shop_default", "10.1.0.9", null));
        ServiceSpec spec = ServiceSpec.parse("docker://web");
        assertEquals(List.of(new InetSocketAddress("10.1.0.2", 80)),
                endpoints(ServiceSelection.select(spec, List.of(a, b, self), Optional.of(self), Optional.empty())));
        ServiceSelection.Result mixed = ServiceSelection.select(spec, List.of(a, b), Optional.empty(), Optional.empty());
        assertEquals(Optional.of("service [web] is in Compose projects [blog, shop]: name one with ?project="), mixed.refusal());
    }

    @Test
    void statesHealthPortsAndNetworksLeaveContainersOutWithTheReason() throws Exception {
        List<ContainerRecord> all = List.of(
                container("up", "p", "web", "running", "healthy", Set.of(80), on("p_net", "10.1.0.2", null)),
                container("starting", "p", "web", "running", "starting", Set.of(80), on("p_net", "10.1.0.3", null)),
                container("paused", "p", "web", "paused", "healthy", Set.of(80), on("p_net", "10.1.0.4", null)),
                container("nohc", "p", "web", "running", "", Set.of(80), on("p_net", "10.1.0.5", null)),
                container("two", "p", "web", "running", "", Set.of(80, 443), on("p_net", "10.1.0.6", null)),
                container("v6", "p", "web", "running", "", Set.of(80), on("p_net", null, "fd00::7")),
                container("far", "p", "web", "running", "", Set.of(80), on("other", "10.9.0.8", null)));
        ContainerRecord self = container("self", "p", "amb", "running", "", Set.of(), on("p_net", "10.1.0.9", null));
        ServiceSelection.Result result = ServiceSelection.select(ServiceSpec.parse("docker://web"), all, Optional.of(self), Optional.empty());
        assertEquals(List.of(new InetSocketAddress("10.1.0.2", 80), new InetSocketAddress("10.1.0.5", 80),
                new InetSocketAddress("fd00::7", 80)), endpoints(result));
        Map<String, String> out = result.leftOut();
        assertEquals("health starting", out.get("starting (starting0000)"));
        assertEquals("paused", out.get("paused (paused000000)"));
        assertEquals("exposes ports [80, 443]: name one (docker://web:PORT)", out.get("two (two000000000)"));
        assertTrue(out.get("far (far000000000)").startsWith("shares no network with the ambassador"), out.toString());

        ServiceSelection.Result running = ServiceSelection.select(ServiceSpec.parse("docker://web:8080?health=running&network=p_net"),
                all, Optional.empty(), Optional.empty());
        assertEquals(5, running.members().size(), "all but the paused one and the one off p_net: " + running.leftOut());
        assertEquals(8080, running.members().get(0).endpoint().getPort());
    }

    @Test
    void namesAndAliasesServeOnlyWhereNoContainerIsLabelled() throws Exception {
        ContainerRecord aliased = container("x", "", "", "running", "", Set.of(5432), on("backend", "10.3.0.2", null, "db"));
        ContainerRecord onBridge = container("y", "", "", "running", "", Set.of(5432), on("bridge", "172.17.0.5", null, "db"));
        assertEquals(List.of(new InetSocketAddress("10.3.0.2", 5432)), endpoints(ServiceSelection.select(ServiceSpec.parse("docker://db"),
                List.of(aliased, onBridge), Optional.empty(), Optional.empty())), "aliases mean nothing on Docker's bridge");
    }

    @Test
    void anOmniAskerReachesOnlyItsOwnNetworks() throws Exception {
        ContainerRecord secret = container("s", "p", "vault", "running", "", Set.of(8200), on("b", "10.5.0.2", null));
        ContainerRecord asker = container("a", "", "", "running", "", Set.of(), on("a", "10.6.0.2", null));
        ServiceSelection.Result result = ServiceSelection.select(ServiceSpec.parse("docker://vault"), List.of(secret, asker),
                Optional.empty(), Optional.of(asker));
        assertEquals(List.of(), result.members());
        assertTrue(result.leftOut().get(secret.describe()).contains("shares no network with the asking container"), result.toString());
    }

    @Test
    void theSpecsGrammar() throws Exception {
        ServiceSpec spec = ServiceSpec.parse("docker://web:8080?project=shop&network=back&health=running&swarm&docker=unix%3A%2F%2F%2Frun%2Fd.sock");
        assertEquals("web", spec.service());
        assertEquals(8080, spec.port().getAsInt());
        assertEquals(Optional.of("shop"), spec.project());
        assertEquals(Optional.of("back"), spec.network());
        assertEquals(false, spec.requireHealthy());
        assertTrue(spec.swarm());
        assertEquals(Optional.of("unix:///run/d.sock"), spec.docker());
        for (String bad : List.of("docker://", "docker://:80", "docker://web:", "docker://web:65536", "docker://web:8o",
                "docker://web?x=1", "docker://web?project=a%20b", "docker://w%eb", "docker://web?health=ok", "docker://web?docker=%zz")) {
            assertThrows(BackendSpecException.class, () -> ServiceSpec.parse(bad), bad);
        }
    }

    @Test
    void theAmbassadorsOwnContainerIsFoundInMountinfoOrHostname() {
        String id = "3f2a9c1b0d4e" + "0".repeat(52);
        String line = "1203 1180 254:1 /var/lib/docker/containers/" + id + "/hostname /etc/hostname rw,relatime - ext4 /dev/vda1 rw";
        assertEquals(Optional.of(id), SelfContainer.idIn(line));
        assertEquals(Optional.empty(), SelfContainer.idIn("/var/lib/docker/containers/" + id + "/resolv.conf /etc/resolv.conf"));
        assertEquals(Optional.of("3f2a9c1b0d4e"), SelfContainer.id(java.nio.file.Path.of("/nonexistent"), Map.of("HOSTNAME", "3f2a9c1b0d4e")));
        assertEquals(Optional.empty(), SelfContainer.id(java.nio.file.Path.of("/nonexistent"), Map.of("HOSTNAME", "my-host")));
    }
}
