package org.ambassadord.distribution.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.ambassadord.spi.testkit.DockerEngines;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code docker://web} in a real Compose project ({@code compose/docker-service.yaml}, run with
 * Debian's {@code docker-compose}): three healthy replicas all answer through the image; one
 * made unhealthy gets no new connection 2 s after Docker says so, and is back once healthy;
 * scaling up and down is followed; a paused replica is left out; another project's {@code web}
 * is never mixed in.
 */
@ExtendWith(DockerSuite.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DockerServiceComposeIT {

    private static final Duration FOLLOWS_WITHIN = Duration.ofSeconds(2);
    private static final Duration SETTLE_LIMIT = Duration.ofSeconds(60);

    private static String project;
    private static String otherProject;
    private static Containers containers;

    @BeforeAll
    static void upWithThreeReplicas(Containers docker) throws Exception {
        containers = docker;
        project = docker.name("svc").replaceAll("[^a-z0-9]", "");
        otherProject = docker.name("other").replaceAll("[^a-z0-9]", "");
        Docker.Result up = compose(project, "up", "-d", "--scale", "web=3");
        assertEquals(0, up.status(), up.describe());
        Docker.Result other = compose(otherProject, "up", "-d", "web");
        assertEquals(0, other.status(), other.describe());
    }

    @AfterAll
    static void down() throws Exception {
        for (String each : new String[] {project, otherProject}) {
            compose(each, "down", "--volumes", "--timeout", "1");
        }
    }

    @Test
    @Order(1)
    void everyHealthyReplicaAnswersAndAnotherProjectIsNotMixedIn() {
        Set<String> three = awaitHealthy(project, 3);
        assertEquals(3, awaitHealthy(otherProject, 1).size() + 2);
        assertEquals(three, awaitAnswers(three));
    }

    @Test
    @Order(2)
    void anUnhealthyReplicaGetsNoNewConnectionAndComesBackWhenHealthy() {
        Set<String> three = awaitHealthy(project, 3);
        String sick = three.iterator().next();
        Docker.ok("exec", sick, "rm", "/healthy");
        awaitHealth(sick, "unhealthy");
        long unhealthyAt = System.nanoTime();
        Containers.sleep(Math.max(0, FOLLOWS_WITHIN.toMillis() - (System.nanoTime() - unhealthyAt) / 1_000_000));
        Set<String> answers = answers(24);
        assertFalse(answers.contains(sick), "an unhealthy replica still got connections " + FOLLOWS_WITHIN + " after: " + answers);

        Docker.ok("exec", sick, "touch", "/healthy");
        awaitHealth(sick, "healthy");
        assertEquals(three, awaitAnswers(three), "healthy again, it is back");
    }

    @Test
    @Order(3)
    void scalingUpAndDownIsFollowed() throws Exception {
        assertEquals(0, compose(project, "up", "-d", "--no-recreate", "--scale", "web=4").status());
        Set<String> four = awaitHealthy(project, 4);
        assertEquals(four, awaitAnswers(four));
        assertEquals(0, compose(project, "up", "-d", "--no-recreate", "--scale", "web=2").status());
        Set<String> two = awaitHealthy(project, 2);
        assertEquals(two, awaitAnswers(two));
    }

    @Test
    @Order(4)
    void aPausedReplicaIsLeftOut() {
        Set<String> two = awaitHealthy(project, 2);
        String paused = two.iterator().next();
        Docker.ok("pause", paused);
        try {
            Set<String> rest = new TreeSet<>(two);
            rest.remove(paused);
            assertEquals(rest, awaitAnswers(rest));
        } finally {
            Docker.ok("unpause", paused);
        }
        assertEquals(two, awaitAnswers(two));
    }

    /** The 12-character ids (each replica's hostname) of a project's running, healthy web replicas, once there are {@code count}. */
    private static Set<String> awaitHealthy(String of, int count) {
        long deadline = System.nanoTime() + SETTLE_LIMIT.toNanos();
        Set<String> healthy = Set.of();
        while (System.nanoTime() < deadline) {
            healthy = ids(Docker.ok("ps", "--quiet", "--filter", "label=com.docker.compose.project=" + of,
                    "--filter", "label=com.docker.compose.service=web", "--filter", "health=healthy"));
            Set<String> all = ids(Docker.ok("ps", "--quiet", "--filter", "label=com.docker.compose.project=" + of,
                    "--filter", "label=com.docker.compose.service=web"));
            if (healthy.size() == count && all.size() == count) {
                return healthy;
            }
            Containers.sleep(250);
        }
        return fail("project [" + of + "] did not reach " + count + " healthy web replicas: " + healthy);
    }

    private static void awaitHealth(String container, String health) {
        long deadline = System.nanoTime() + SETTLE_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (Docker.ok("inspect", "--format", "{{.State.Health.Status}}", container).strip().equals(health)) {
                return;
            }
            Containers.sleep(100);
        }
        fail("[" + container + "] did not turn " + health);
    }

    private static Set<String> ids(String listing) {
        return Arrays.stream(listing.split("\\s+")).filter(id -> !id.isEmpty()).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Repeats a round of connections until the replicas answering are exactly {@code expected}. */
    private static Set<String> awaitAnswers(Set<String> expected) {
        long deadline = System.nanoTime() + SETTLE_LIMIT.toNanos();
        Set<String> answers = Set.of();
        while (System.nanoTime() < deadline) {
            answers = answers(6 * expected.size());
            if (answers.equals(expected)) {
                return answers;
            }
            Containers.sleep(300);
        }
        return fail("through the ambassador answered " + answers + ", expected " + expected + "\n" + ambassadorLog());
    }

    /** What {@code connections} connections to the ambassador answer, from one client on the project's network. */
    private static Set<String> answers(int connections) {
        Docker.Result client = Docker.run("run", "--rm", "--network", project + "_default", TestImages.busybox(), "sh", "-c",
                "for i in $(seq " + connections + "); do timeout 5 nc ambassador 10000; done");
        return client.out().lines().map(String::strip).filter(line -> !line.isEmpty()).collect(Collectors.toCollection(TreeSet::new));
    }

    private static String ambassadorLog() {
        try {
            Docker.Result logs = compose(project, "logs", "--no-color", "ambassador");
            return logs.out() + logs.err();
        } catch (Exception e) {
            return "(no log: " + e + ")";
        }
    }

    private static Docker.Result compose(String name, String... arguments) throws IOException, URISyntaxException {
        Path file = Path.of(DockerServiceComposeIT.class.getResource("/compose/docker-service.yaml").toURI());
        List<String> command = new ArrayList<>(List.of("env", "AMBASSADORD_IMAGE=" + containers.image(),
                "BUSYBOX_IMAGE=" + TestImages.busybox(), "DOCKER_SOCKET=" + DockerEngines.socket(), "DOCKER_HOST=" + DockerEngines.host(),
                "docker-compose", "--project-name", name, "--file", file.toString()));
        command.addAll(List.of(arguments));
        try {
            return Docker.exec(command, Duration.ofMinutes(3));
        } catch (IOException e) {
            throw new AssertionError("cannot run docker-compose (install Debian package docker-compose): " + e.getMessage());
        }
    }
}
