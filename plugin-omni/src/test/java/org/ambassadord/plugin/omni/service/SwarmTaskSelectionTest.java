package org.ambassadord.plugin.omni.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.core.type.TypeReference;
import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import org.ambassadord.plugin.omni.ContainerFacts;
import org.ambassadord.plugin.omni.ContainerRecord;
import org.ambassadord.plugin.omni.NetworkAttachment;
import org.junit.jupiter.api.Test;

/**
 * Swarm task selection on the answer Engine 28.5.2 gave to {@code GET /tasks} on a single-node
 * swarm (recorded in {@code swarm/tasks-engine-28.5.json}): service {@code web} with two running
 * tasks on the attachable overlay {@code ovl}, {@code pub} with a published port (so also on
 * {@code ingress}), {@code hc} whose health check has not passed (one task {@code starting},
 * one being removed).
 */
class SwarmTaskSelectionTest {

    private static final Map<String, String> SERVICES = Map.of("mlhgt6mv8tiouy1uuu4hzotxz", "web",
            "sxpr95jvlzmegna86iczvf5vf", "pub", "m4cgp0jx9lmg2cga9b3dcjv3e", "hc", "jvsih25iqo6i353a0n8nwdekv", "hc");

    private static List<SwarmTask> recorded(String service) throws Exception {
        List<Task> answer;
        try (InputStream in = SwarmTaskSelectionTest.class.getResourceAsStream("/swarm/tasks-engine-28.5.json")) {
            // With docker-java's own reader: fields it does not model go to getRawValues(), as in the client.
            answer = DefaultDockerClientConfig.createDefaultConfigBuilder().build().getObjectMapper().readValue(in, new TypeReference<List<Task>>() { });
        }
        List<SwarmTask> tasks = new ArrayList<>();
        for (Task task : answer) {
            String name = SERVICES.entrySet().stream().filter(e -> task.getServiceId().equals(e.getKey()))
                    .map(Map.Entry::getValue).findFirst().orElseThrow(() -> new AssertionError("unknown service " + task.getServiceId()));
            if (name.equals(service)) {
                tasks.add(SwarmTaskReader.read(task, service));
            }
        }
        return tasks;
    }

    private static ContainerRecord ambassadorOn(String... networks) throws Exception {
        List<NetworkAttachment> attachments = new ArrayList<>();
        for (String network : networks) {
            attachments.add(new NetworkAttachment(network, Optional.of(InetAddress.getByName("10.216.1.200")), Optional.empty(), Set.of()));
        }
        return new ContainerRecord("a".repeat(64), "ambassador", Set.of(), Map.of(), Set.of(),
                new ContainerFacts("running", "", "", "", Set.of(), attachments));
    }

    private static List<InetSocketAddress> endpoints(ServiceSelection.Result result) {
        return result.members().stream().map(ServiceSelection.Member::endpoint).sorted(
                java.util.Comparator.comparing(InetSocketAddress::toString)).toList();
    }

    @Test
    void theRunningTasksServeByTheirAddressOnTheSharedOverlay() throws Exception {
        ServiceSelection.Result web = ServiceSelection.selectTasks(ServiceSpec.parse("docker://web:8080?swarm"), recorded("web"),
                List.of(), Optional.of(ambassadorOn("ovl")), Optional.empty());
        assertEquals(List.of(new InetSocketAddress("10.216.1.3", 8080), new InetSocketAddress("10.216.1.4", 8080)), endpoints(web));
        assertTrue(web.members().get(0).description().startsWith("task web."), web.toString());
        ServiceSelection.Result published = ServiceSelection.selectTasks(ServiceSpec.parse("docker://pub:8080?swarm"), recorded("pub"),
                List.of(), Optional.empty(), Optional.empty());
        assertEquals(List.of(new InetSocketAddress("10.216.1.15", 8080)), endpoints(published), "the ingress network is never used");
    }

    @Test
    void aTaskWhoseHealthCheckHasNotPassedIsLeftOutAndHistoryIsNotListed() throws Exception {
        List<SwarmTask> tasks = recorded("hc");
        assertEquals(2, tasks.size());
        ServiceSelection.Result result = ServiceSelection.selectTasks(ServiceSpec.parse("docker://hc:8080?swarm"), tasks,
                List.of(), Optional.of(ambassadorOn("ovl")), Optional.empty());
        assertEquals(List.of(), result.members());
        assertEquals(List.of("task starting (health check not passed yet)"), List.copyOf(result.leftOut().values()),
                "the task being removed is history, not a left-out member: " + result);
    }

    @Test
    void aTaskOnThisNodeAlreadyReportedUnhealthyIsLeftOutBeforeSwarmKillsIt() throws Exception {
        List<SwarmTask> tasks = recorded("web");
        SwarmTask first = tasks.get(0);
        ContainerRecord sick = new ContainerRecord(first.containerId().orElseThrow(), first.name(), Set.of(), Map.of(), Set.of(),
                new ContainerFacts("running", "unhealthy", "", "", Set.of(8080), first.networks()));
        ServiceSelection.Result result = ServiceSelection.selectTasks(ServiceSpec.parse("docker://web?swarm"), tasks,
                List.of(sick), Optional.of(ambassadorOn("ovl")), Optional.empty());
        assertEquals(List.of(), result.members());
        assertEquals(2, result.leftOut().size(), result.toString());
        assertTrue(result.leftOut().containsValue("health unhealthy"), result.toString());
        assertTrue(result.leftOut().values().stream().anyMatch(why -> why.startsWith("no port named")),
                "a task elsewhere has no known exposed port, so the spec must name it: " + result);
    }

    @Test
    void networksTheAmbassadorOrTheAskerDoNotShareAreNotUsed() throws Exception {
        ServiceSelection.Result elsewhere = ServiceSelection.selectTasks(ServiceSpec.parse("docker://web:8080?swarm"), recorded("web"),
                List.of(), Optional.of(ambassadorOn("front")), Optional.empty());
        assertEquals(List.of(), elsewhere.members());
        assertTrue(elsewhere.leftOut().values().iterator().next().startsWith("shares no network with the ambassador (it is on [ovl]"),
                elsewhere.toString());
        ServiceSelection.Result asked = ServiceSelection.selectTasks(ServiceSpec.parse("docker://web:8080?swarm"), recorded("web"),
                List.of(), Optional.of(ambassadorOn("ovl")), Optional.of(ambassadorOn("front")));
        assertEquals(List.of(), asked.members(), "an omni asker reaches only its own networks, whatever the ambassador shares");
        ServiceSelection.Result named = ServiceSelection.selectTasks(ServiceSpec.parse("docker://web:8080?swarm&network=other"),
                recorded("web"), List.of(), Optional.empty(), Optional.empty());
        assertTrue(named.leftOut().values().iterator().next().startsWith("not on network [other]"), named.toString());
    }

    @Test
    void hostileAttachmentsAreCappedAndMalformedPartsIgnored() {
        List<Object> raw = new ArrayList<>();
        raw.add("not a map");
        raw.add(Map.of("Network", "not a map", "Addresses", List.of("10.0.0.1/24")));
        raw.add(Map.of("Network", Map.of("Spec", Map.of("Name", 42)), "Addresses", List.of("10.0.0.2/24")));
        raw.add(Map.of("Network", Map.of("Spec", Map.of("Name", "n")), "Addresses", List.of("db.example/24", 7, "fd00::5/64", "10.0.0.3/24")));
        raw.addAll(Collections.nCopies(100, Map.of("Network", Map.of("Spec", Map.of("Name", "x".repeat(10_000))),
                "Addresses", Collections.nCopies(100_000, "10.9.9.9/24"))));
        List<NetworkAttachment> networks = SwarmTaskReader.attachments(raw);
        assertEquals(SwarmTaskReader.MAX_NETWORKS, networks.size());
        assertEquals(new NetworkAttachment("n", Optional.of(ip("10.0.0.3")), Optional.of(ip("fd00::5")), Set.of()), networks.get(0));
        assertEquals(SwarmTaskReader.MAX_TEXT, networks.get(1).network().length());
        assertEquals(List.of(), SwarmTaskReader.attachments("not a list"));
    }

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
