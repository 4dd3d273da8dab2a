package org.ambassadord.distribution.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.ambassadord.spi.testkit.DockerEngines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code distribution/compose.yaml} run with Debian's {@code docker-compose} (1.29): the
 * ambassador in omni mode, its one-shot iptables set-up with {@code cap_add: [NET_ADMIN]} in
 * {@code network_mode: "service:backends"}, and a client whose {@code BACKEND_6379} names a
 * backend service; the suite's file swaps in busybox for the client and adds the backend.
 */
@ExtendWith(DockerSuite.class)
class ComposeIT {

    @Test
    void theOmniComposeFileServesItsClient(Containers docker) throws Exception {
        String project = docker.name("compose").replaceAll("[^a-z0-9]", "");
        List<String> compose = compose(project, docker);
        try {
            Docker.Result up = run(compose, "up", "-d");
            assertEquals(0, up.status(), up.describe());
            String app = Docker.ok("ps", "--all", "--quiet", "--filter", "label=com.docker.compose.project=" + project,
                    "--filter", "label=com.docker.compose.service=app");
            Docker.Result waited = Docker.run(Duration.ofSeconds(120), "wait", app);
            Docker.Result logs = run(compose, "logs", "--no-color");
            assertEquals("0", waited.out().strip(), "the client did not get its answer:\n" + logs.out() + logs.err());
            assertTrue(logs.out().contains("got through-compose"), logs.out());
            Docker.Result setup = run(compose, "logs", "--no-color", "backends-iptables");
            assertTrue(setup.out().contains("installed chain [AMBASSADORD_PREROUTING]"), setup.out() + setup.err());
        } finally {
            run(compose, "down", "--volumes", "--timeout", "2");
        }
    }

    private static List<String> compose(String project, Containers docker) throws URISyntaxException {
        Path module = TestImages.moduleDirectory();
        Path e2e = Path.of(ComposeIT.class.getResource("/compose/e2e.yaml").toURI());
        return List.of("env", "AMBASSADORD_IMAGE=" + docker.image(), "BUSYBOX_IMAGE=" + TestImages.busybox(),
                "DOCKER_SOCKET=" + DockerEngines.socket(), "DOCKER_HOST=" + DockerEngines.host(),
                "docker-compose", "--project-name", project, "--file", module.resolve("compose.yaml").toString(),
                "--file", e2e.toString());
    }

    private static Docker.Result run(List<String> compose, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(compose);
        command.addAll(List.of(arguments));
        try {
            return Docker.exec(command, Duration.ofMinutes(3));
        } catch (IOException e) {
            throw new AssertionError("cannot run docker-compose (install Debian package docker-compose): " + e.getMessage());
        }
    }
}
