package org.ambassadord.distribution.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The container image itself: its size, its entry point's choice of user, its errors. */
@ExtendWith(DockerSuite.class)
class ContainerImageIT {

    /** Base (~76 MB) plus the jlink image with its plugins (~125 MB); a jump means something leaked in. */
    private static final long SIZE_LIMIT_BYTES = 320L * 1024 * 1024;

    @Test
    void sizeIsReportedAndBounded(Containers docker) {
        long size = Long.parseLong(Docker.ok("image", "inspect", "--format", "{{.Size}}", docker.image()));
        long base = Long.parseLong(Docker.ok("image", "inspect", "--format", "{{.Size}}", TestImages.base()));
        System.out.printf("image size: %d MB (base %s: %d MB)%n", size / 1_000_000, TestImages.base(), base / 1_000_000);

        assertTrue(size < SIZE_LIMIT_BYTES, "image is " + size + " bytes");
    }

    @Test
    void entryPointIsAmbassadord(Containers docker) {
        Docker.Result version = Docker.run("run", "--rm", "--name", docker.name("version"), docker.image(), "--version");
        assertEquals(0, version.status(), version.describe());
        assertTrue(version.out().startsWith("ambassadord "), version.describe());

        Docker.Result bare = Docker.run("run", "--rm", "--name", docker.name("bare"), docker.image());
        assertEquals(2, bare.status(), bare.describe());
        assertTrue(bare.err().contains("no backend given"), bare.describe());
    }

    /**
     * The relay runs as user ambassadord without capabilities, and still listens on a port
     * below 1024: Docker opens those to every user inside a container's network namespace.
     */
    @Test
    void relayRunsUnprivilegedEvenOnAPortBelow1024(Containers docker) {
        String backend = docker.echoBackend("http-80", 80, "port-80");
        String ambassador = docker.startAmbassador("ambassador-80", "--expose", "80", docker.image(),
                docker.address(backend) + ":80");

        String status = docker.processStatus(ambassador);
        assertTrue(status.contains("\nUid:\t10001\t10001\t10001\t10001"), status);
        assertTrue(status.contains("\nCapEff:\t0000000000000000"), status);
        assertEquals("port-80", docker.reply(List.of("--link", ambassador + ":web"), "web", 80));
    }

    /**
     * {@code docker stop} reaches the JVM: the entry point and the launcher exec, so the JVM
     * is PID 1 and stops gracefully on SIGTERM instead of being killed after the grace time.
     */
    @Test
    void stopsOnDockerStop(Containers docker) {
        String backend = docker.echoBackend("stop-backend", 6379, "stop");
        String ambassador = docker.startAmbassador("ambassador-stop", docker.image(), docker.address(backend) + ":6379");
        assertEquals("java", Docker.ok("exec", ambassador, "cat", "/proc/1/comm"));

        long started = System.nanoTime();
        Docker.ok("stop", "--time", "30", ambassador);
        long seconds = (System.nanoTime() - started) / 1_000_000_000;

        assertTrue(seconds < 15, "docker stop took " + seconds + " s");
        // 143 = 128 + SIGTERM: how a JVM exits after its shutdown hooks ran; 137 would be the
        // SIGKILL docker sends when the grace time is over.
        assertEquals("143", Docker.ok("inspect", "--format", "{{.State.ExitCode}}", ambassador), docker.log(ambassador));
        assertTrue(docker.log(ambassador).contains("stopped: accepted="), docker.log(ambassador));
    }

    @Test
    void dryRunPrintsTheRulesWithoutPrivileges(Containers docker) {
        Docker.Result dryRun = Docker.run("run", "--rm", "--name", docker.name("dry-run"), docker.image(),
                "--setup-iptables", "--dry-run");

        assertEquals(0, dryRun.status(), dryRun.describe());
        assertTrue(dryRun.out().contains("-A AMBASSADORD_PREROUTING -p tcp -j REDIRECT --to-ports 10000"), dryRun.describe());
    }

    /** Without NET_ADMIN the set-up fails with a message, not silently. */
    @Test
    void setUpWithoutNetAdminFails(Containers docker) {
        Docker.Result setup = Docker.run("run", "--rm", "--name", docker.name("no-cap"), docker.image(), "--setup-iptables");

        assertNotEquals(0, setup.status(), setup.describe());
        assertTrue(setup.err().lines().anyMatch(line -> line.startsWith("ambassadord: ") && line.contains("--cap-add NET_ADMIN")),
                setup.describe());
    }
}
