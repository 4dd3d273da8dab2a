package org.ambassadord.distribution.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.ambassadord.spi.testkit.DockerEngines;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code docker://SERVICE:PORT?swarm} on a single-node swarm: the second engine (28.5.2) is
 * made a manager ({@code docker swarm init}) with an address pool of its own, and left again
 * at the end — never the system engine, which CI shares. A two-replica service on an
 * attachable overlay, the ambassador attached to that overlay: every task answers; scaled to
 * three, the third does too; a killed task stops getting connections and its replacement
 * starts getting them. Connections come from a client container on the overlay.
 */
@ExtendWith(DockerSuite.class)
class SwarmIT {

    /** Swarm's overlay networks come from here: apart from the engine's bridge pool and the system engine's. */
    private static final String SWARM_POOL = "10.217.0.0/16";
    private static final int PORT = 8080;
    private static final int LISTEN = 10000;
    private static final Duration FOLLOW_LIMIT = Duration.ofSeconds(30);

    private static String overlay;
    private static String service;
    private static String ambassador;

    @BeforeAll
    static void swarmOnTheSecondEngine(Containers docker) {
        assertTrue(DockerEngines.second(), "SwarmIT runs only against the second engine (failsafe's second-engine execution,"
                + " -Dambassadord.docker.engine=second): `docker swarm init` must not change the engine CI shares");
        Docker.run("swarm", "leave", "--force"); // a swarm a killed run left behind
        Docker.ok("swarm", "init", "--advertise-addr", "127.0.0.1", "--default-addr-pool", SWARM_POOL);
        overlay = docker.name("overlay");
        Docker.ok("network", "create", "--driver", "overlay", "--attachable", overlay);
        service = docker.name("web").replace('_', '-');
        // Each task answers with its hostname: the first 12 characters of its container's id.
        Docker.ok("service", "create", "--detach", "--name", service, "--replicas", "2", "--network", overlay,
                TestImages.busybox(), "nc", "-ll", "-p", String.valueOf(PORT), "-e", "/bin/hostname");
        ambassador = docker.startAmbassador("ambassador", "--network", overlay, "-v", DockerEngines.socket() + ":/var/run/docker.sock",
                docker.image(), "docker://" + service + ":" + PORT + "?swarm");
    }

    @AfterAll
    static void leaveTheSwarm() {
        Docker.run("service", "rm", service);
        Docker.run("swarm", "leave", "--force");
        // Swarm made this bridge on the host for the tasks' outside traffic; leaving keeps it.
        Docker.run("network", "rm", "docker_gwbridge");
    }

    @Test
    void followsTheServiceThroughAScaleAndAKilledTask(Containers docker) {
        Set<String> two = awaitRunningTasks(2);
        assertEquals(two, awaitAnswers(docker, two), "both tasks answer through the ambassador");

        Docker.ok("service", "scale", "--detach", service + "=3");
        Set<String> three = awaitRunningTasks(3);
        assertEquals(three, awaitAnswers(docker, three), "the third task answers too");

        String killed = three.iterator().next();
        Docker.ok("kill", killed);
        long killedAt = System.nanoTime();
        Set<String> replaced = awaitRunningTasks(3, killed);
        Set<String> answering = awaitAnswers(docker, replaced);
        assertEquals(replaced, answering, "the replacement answers, the killed task does not");
        System.out.printf("swarm: killed task %s replaced and followed in %d ms%n", killed, (System.nanoTime() - killedAt) / 1_000_000);
        String status = docker.log(ambassador);
        assertTrue(status.contains("listening on"), status);
    }

    /** The ids (12 characters) of the service's running containers, once there are {@code count} and none is {@code gone}. */
    private static Set<String> awaitRunningTasks(int count, String... gone) {
        long deadline = System.nanoTime() + FOLLOW_LIMIT.toNanos();
        Set<String> running = Set.of();
        while (System.nanoTime() < deadline) {
            running = Arrays.stream(Docker.ok("ps", "--quiet", "--filter", "label=com.docker.swarm.service.name=" + service,
                    "--filter", "status=running").split("\\s+")).filter(id -> !id.isEmpty()).collect(Collectors.toCollection(TreeSet::new));
            if (running.size() == count && Arrays.stream(gone).noneMatch(running::contains)) {
                return running;
            }
            Containers.sleep(250);
        }
        return fail("service [" + service + "] did not reach " + count + " running tasks: " + running);
    }

    /**
     * What 4 connections per task answer, from one client on the overlay, repeated until the
     * answers are exactly {@code expected} (the ambassador polls the manager each second).
     */
    private static Set<String> awaitAnswers(Containers docker, Set<String> expected) {
        long deadline = System.nanoTime() + FOLLOW_LIMIT.toNanos();
        Set<String> answers = Set.of();
        int connections = 4 * expected.size();
        while (System.nanoTime() < deadline) {
            Docker.Result client = Docker.run("run", "--rm", "--network", overlay, TestImages.busybox(), "sh", "-c",
                    "for i in $(seq " + connections + "); do timeout 5 nc " + ambassador + " " + LISTEN + "; done");
            answers = client.out().lines().map(String::strip).filter(line -> !line.isEmpty()).collect(Collectors.toCollection(TreeSet::new));
            if (answers.equals(expected)) {
                return answers;
            }
            Containers.sleep(500);
        }
        return fail("through the ambassador answered " + answers + ", expected " + expected + "\n" + docker.log(ambassador));
    }
}
