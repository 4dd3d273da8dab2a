package org.ambassadord.distribution.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Optional;

import org.ambassadord.spi.testkit.ConsulAgent;
import org.ambassadord.spi.testkit.DockerEngines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code ambassadord --check SPEC} with the image's launcher, against a static list with one
 * dead endpoint, a real dnsmasq (SRV), a real etcd and a real Consul: the printed lines and
 * the exit codes (0 when an endpoint accepts, 1 otherwise, 2 for a bad spec).
 */
class CheckIT {

    private ServerSocket live;

    @BeforeEach
    void listen() throws Exception {
        live = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void close() throws Exception {
        live.close();
    }

    private String liveEndpoint() {
        return "127.0.0.1:" + live.getLocalPort();
    }

    private static String deadEndpoint() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "127.0.0.1:" + socket.getLocalPort();
        }
    }

    @Test
    void aStaticListWithOneDeadEndpoint() throws Exception {
        String dead = deadEndpoint();
        Result check = run("--check", dead + "," + liveEndpoint());
        System.out.println("--check of a static list:\n" + check.out());
        assertEquals(0, check.status(), check.out() + check.err());
        assertTrue(check.out().lines().anyMatch(line -> line.contains(dead) && line.contains("does not accept")), check.out());
        assertTrue(check.out().lines().anyMatch(line -> line.contains(liveEndpoint()) && line.contains("accepts (")), check.out());
        assertTrue(check.out().contains("result     1 of 2 endpoint(s) accept"), check.out());

        Result allDead = run("--check", dead);
        assertEquals(1, allDead.status(), allDead.out());
        assertTrue(allDead.out().contains("result     0 of 1 endpoint(s) accept"), allDead.out());

        Result noConnect = run("--check", "--no-connect", dead);
        assertEquals(0, noConnect.status(), noConnect.out());
        assertTrue(noConnect.out().contains("not tried (--no-connect)"), noConnect.out());

        Result bad = run("--check", "host:notaport");
        assertEquals(2, bad.status(), bad.out() + bad.err());
    }

    @Test
    void anEtcdKeyShowsItsRevision() throws Exception {
        try (HostEtcd etcd = HostEtcd.start("127.0.0.1")) {
            etcd.put("/check/redis/a", liveEndpoint());
            Result check = run("--check", "etcd://" + etcd.endpoint() + "/check/redis");
            System.out.println("--check of an etcd key:\n" + check.out());
            assertEquals(0, check.status(), check.out() + check.err());
            assertTrue(check.out().matches("(?s).*state      etcd key \\[/check/redis\\] read at revision \\d+.*"), check.out());
            assertTrue(check.out().contains(liveEndpoint()), check.out());

            Result empty = run("--check", "--resolve-timeout", "2s",
                    "etcd://" + etcd.endpoint() + "/check/none");
            assertEquals(1, empty.status(), empty.out());
        }
    }

    @Test
    void aConsulKeyShowsItsIndex() throws Exception {
        try (ConsulAgent consul = ConsulAgent.start()) {
            consul.put("check/web/a", liveEndpoint());
            Result check = run("--check", "consul://" + consul.address() + "/check/web");
            System.out.println("--check of a Consul key:\n" + check.out());
            assertEquals(0, check.status(), check.out() + check.err());
            assertTrue(check.out().contains("state "), check.out());
            assertTrue(check.out().contains(liveEndpoint()), check.out());
        }
    }

    @Test
    void anSrvNameShowsItsAnswer() throws Exception {
        int dnsPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            dnsPort = probe.getLocalPort();
        }
        Optional<HostDnsmasq> started = HostDnsmasq.start("127.0.0.1", dnsPort, List.of(
                "--srv-host=_redis._tcp.check.test,live.check.test," + live.getLocalPort() + ",10,1",
                "--host-record=live.check.test,127.0.0.1"));
        assertTrue(started.isPresent(), "dnsmasq could not listen on 127.0.0.1:" + dnsPort);
        try (HostDnsmasq dns = started.get()) {
            Result check = run("--check",
                    "srv://_redis._tcp.check.test?dns=127.0.0.1:" + dnsPort);
            System.out.println("--check of an SRV name:\n" + check.out());
            assertEquals(0, check.status(), check.out() + check.err() + dns.log());
            assertTrue(check.out().contains("tried in this order"), check.out());
            assertTrue(check.out().contains(liveEndpoint()), check.out());
        }
    }

    /**
     * Omni mode: {@code --check --omnimode --container NAME --port P} shows what that container's
     * connection would get, the policy's refusal and its reason included.
     */
    @Test
    void aContainersConnectionInOmniMode() throws Exception {
        Docker.requireEngine();
        String name = "ambd-check-" + ProcessHandle.current().pid();
        Docker.ok("run", "-d", "--name", name, "-e", "BACKEND_6379=127.0.0.1:6379", TestImages.busybox(), "sleep", "120");
        try {
            Result loopback = run("--check", "--omnimode", "--container", name, "--port", "6379");
            System.out.println("--check of a container's connection:\n" + loopback.out());
            assertEquals(1, loopback.status(), loopback.out() + loopback.err());
            assertTrue(loopback.out().contains("container  [" + name + "] at "), loopback.out());
            assertTrue(loopback.out().contains("is loopback: the ambassador's own network namespace, denied for"
                    + " container-chosen specs"), loopback.out());

            Result undefined = run("--check", "--omnimode", "--container", name, "--port", "7777");
            assertEquals(1, undefined.status(), undefined.out() + undefined.err());
            assertTrue(undefined.out().contains("defines no backend for port [7777]: set BACKEND_7777"), undefined.out());

            Result unknown = run("--check", "--omnimode", "--container", "no-such-container-" + name, "--port", "6379");
            assertEquals(1, unknown.status(), unknown.out());
            assertTrue(unknown.out().contains("is not running"), unknown.out());

            Result incomplete = run("--check", "--omnimode");
            assertEquals(2, incomplete.status(), incomplete.out());
            assertTrue(incomplete.err().contains("needs --container NAME and --port PORT"), incomplete.err());
        } finally {
            Docker.run("rm", "-f", name);
        }
    }

    private record Result(int status, String out, String err) {
    }

    /** The image's launcher, to completion (stdout and stderr kept apart). */
    private static Result run(String... args) throws Exception {
        java.util.List<String> command = new java.util.ArrayList<>(List.of(
                java.nio.file.Path.of(System.getProperty("ambassadord.image"), "bin", "ambassadord").toString()));
        command.addAll(List.of(args));
        java.nio.file.Path err = java.nio.file.Files.createTempFile("check", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectError(err.toFile());
            if (DockerEngines.second()) {
                // Omni mode asks the engine the containers run on, as the docker CLI does.
                builder.environment().put("DOCKER_HOST", DockerEngines.host());
            }
            Process process = builder.start();
            String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(command + " did not exit");
            }
            return new Result(process.exitValue(), out, java.nio.file.Files.readString(err));
        } finally {
            java.nio.file.Files.deleteIfExists(err);
        }
    }
}
