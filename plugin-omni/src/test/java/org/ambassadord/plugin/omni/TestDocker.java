package org.ambassadord.plugin.omni;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.RestartPolicy;
import org.ambassadord.spi.testkit.DockerEngines;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;

/**
 * The real Docker engine for tests: a client for the engine under test ({@link DockerEngines}:
 * the system's, or the second engine in the suite's second run), a tiny
 * local image (no registry is needed), and containers that are removed afterwards.
 *
 * <p>Unlike the plugin, which only reads from the engine, tests create and kill containers.
 */
final class TestDocker implements AutoCloseable {

    static final String IMAGE = "ambassadord-test-busybox:latest";
    static final String SOCKET = DockerEngines.host();
    private static final Path BUSYBOX = Path.of("/bin/busybox");
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    /** One started container: its id, name and bridge address. */
    record TestContainer(String id, String name, InetAddress address) {
    }

    final DockerClient client;
    private final List<String> containers = new ArrayList<>();

    private final String host;

    private TestDocker(DockerClient client, String host) {
        this.client = client;
        this.host = host;
    }

    /** Connects to the engine under test and makes sure the test image exists; fails clearly otherwise. */
    static TestDocker connect() throws Exception {
        return connect(SOCKET);
    }

    /** The same for the engine at {@code host} ({@code unix://...}). */
    static TestDocker connect(String host) throws Exception {
        DockerClient client = DockerClients.create(OmniSpec.parse("omni://?docker=" + host, Map.of()));
        try {
            client.pingCmd().exec();
        } catch (RuntimeException e) {
            client.close();
            fail("no Docker engine answers on " + DockerEngines.describe() + " (" + e.getMessage() + "): install Debian package"
                    + " docker.io and start dockerd (.ci/run does both)");
        }
        System.out.println("omni engine tests against " + host + ", API " + client.versionCmd().exec().getApiVersion());
        TestDocker docker = new TestDocker(client, host);
        docker.ensureImage();
        return docker;
    }

    /**
     * Imports {@link #IMAGE} when it is missing: a root file system holding only a statically
     * linked {@code /bin/busybox} (Debian package busybox-static) and the applet links the
     * tests use.
     */
    private void ensureImage() throws Exception {
        try {
            client.inspectImageCmd(IMAGE).exec();
            return;
        } catch (NotFoundException missing) {
            // build it below
        }
        if (!Files.isRegularFile(BUSYBOX) || !isStatic(BUSYBOX)) {
            fail(BUSYBOX + " is missing or dynamically linked: install Debian package busybox-static");
        }
        Path root = Files.createTempDirectory("ambassadord-busybox");
        Path tar = Files.createTempFile("ambassadord-busybox", ".tar");
        try {
            Files.createDirectories(root.resolve("bin"));
            Files.copy(BUSYBOX, root.resolve("bin/busybox"));
            for (String applet : List.of("sh", "sleep", "nc")) {
                Files.createSymbolicLink(root.resolve("bin").resolve(applet), Path.of("busybox"));
            }
            Process process = new ProcessBuilder("tar", "-C", root.toString(), "-cf", tar.toString(), ".")
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (process.waitFor() != 0) {
                fail("tar failed (install Debian package tar): " + output);
            }
            importImage(tar);
        } finally {
            Files.deleteIfExists(tar);
            try (Stream<Path> files = Files.walk(root)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    /**
     * {@code POST /images/create?fromSrc=-} through docker-java's transport: its
     * {@code createImageCmd} serialises the InputStream as JSON instead of sending the tar,
     * which the engine rejects with "unexpected EOF".
     */
    private void importImage(Path tar) throws IOException {
        try (DockerHttpClient http = new ApacheDockerHttpClient.Builder().dockerHost(URI.create(host)).build();
             InputStream body = Files.newInputStream(tar)) {
            DockerHttpClient.Request request = DockerHttpClient.Request.builder()
                    .method(DockerHttpClient.Request.Method.POST)
                    .path("/images/create?fromSrc=-&repo=" + IMAGE.substring(0, IMAGE.indexOf(':')) + "&tag=latest")
                    .putHeader("Content-Type", "application/x-tar")
                    .body(body)
                    .build();
            try (DockerHttpClient.Response response = http.execute(request)) {
                String answer = new String(response.getBody().readAllBytes());
                if (response.getStatusCode() != 200 || answer.contains("\"error")) {
                    fail("importing " + IMAGE + " failed with status " + response.getStatusCode() + ": " + answer);
                }
            }
        }
    }

    /** Whether an ELF executable has no program interpreter (PT_INTERP), i.e. is static. */
    private static boolean isStatic(Path elf) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(elf.toFile(), "r")) {
            byte[] header = new byte[64];
            file.readFully(header);
            ByteBuffer buffer = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
            long programHeaders = buffer.getLong(0x20);
            int entrySize = buffer.getShort(0x36) & 0xffff;
            int entries = buffer.getShort(0x38) & 0xffff;
            for (int i = 0; i < entries; i++) {
                file.seek(programHeaders + (long) i * entrySize);
                int type = Integer.reverseBytes(file.readInt());
                if (type == 3) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * Starts a container on the default bridge that sleeps; it is removed when it stops
     * (so killing it produces {@code die} and {@code destroy}) and by {@link #close()}.
     */
    TestContainer start(List<String> env, Map<String, String> labels) {
        String name = "ambd-omni-test-" + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet();
        String id = client.createContainerCmd(IMAGE)
                .withName(name)
                .withCmd("sleep", "300")
                .withEnv(env)
                .withLabels(labels)
                .withHostConfig(HostConfig.newHostConfig().withAutoRemove(true))
                .exec().getId();
        containers.add(id);
        client.startContainerCmd(id).exec();
        return new TestContainer(id, name, addressOf(id, "bridge"));
    }

    /** A container the engine starts again after its own restart ({@code --restart always}). */
    TestContainer startRestarting(List<String> env) {
        String name = "ambd-omni-test-" + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet();
        String id = client.createContainerCmd(IMAGE)
                .withName(name)
                .withCmd("sleep", "300")
                .withEnv(env)
                .withHostConfig(HostConfig.newHostConfig().withRestartPolicy(RestartPolicy.alwaysRestart()))
                .exec().getId();
        containers.add(id);
        client.startContainerCmd(id).exec();
        return new TestContainer(id, name, addressOf(id, "bridge"));
    }

    /** Starts a sleeping container on a user-defined network with a fixed IPv4 address. */
    TestContainer startOn(String network, String address, List<String> env) {
        String name = "ambd-omni-test-" + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet();
        String id = client.createContainerCmd(IMAGE)
                .withName(name)
                .withCmd("sleep", "300")
                .withEnv(env)
                .withIpv4Address(address)
                .withHostConfig(HostConfig.newHostConfig().withAutoRemove(true).withNetworkMode(network))
                .exec().getId();
        containers.add(id);
        client.startContainerCmd(id).exec();
        return new TestContainer(id, name, addressOf(id, network));
    }

    /**
     * A container of a Compose service as Compose labels it, on {@code network} with
     * {@code aliases}, exposing {@code port}; with a health check that passes while
     * {@code /healthy} is not empty (see {@link #setHealthy}), checked every 200 ms.
     */
    TestContainer startService(String project, String service, String network, List<String> aliases, int port,
                               boolean healthCheck) {
        String name = "ambd-svc-test-" + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet();
        var create = client.createContainerCmd(IMAGE)
                .withName(name)
                .withCmd("sh", "-c", "echo ok > /healthy; exec sleep 300")
                .withExposedPorts(com.github.dockerjava.api.model.ExposedPort.tcp(port))
                .withLabels(project == null ? Map.of() : Map.of("com.docker.compose.project", project,
                        "com.docker.compose.service", service))
                .withHostConfig(HostConfig.newHostConfig().withAutoRemove(true).withNetworkMode(network))
                .withAliases(aliases);
        if (healthCheck) {
            create = create.withHealthcheck(new com.github.dockerjava.api.model.HealthCheck()
                    .withTest(List.of("CMD", "sh", "-c", "test -s /healthy"))
                    .withInterval(200_000_000L).withTimeout(1_000_000_000L).withRetries(1).withStartPeriod(0L));
        }
        String id = create.exec().getId();
        containers.add(id);
        client.startContainerCmd(id).exec();
        return new TestContainer(id, name, addressOf(id, network));
    }

    /** Makes the health check of a {@link #startService} container pass or fail from its next run. */
    void setHealthy(TestContainer container, boolean healthy) throws InterruptedException {
        String id = client.execCreateCmd(container.id())
                .withCmd("sh", "-c", healthy ? "echo ok > /healthy" : ": > /healthy").exec().getId();
        client.execStartCmd(id).start().awaitCompletion(10, java.util.concurrent.TimeUnit.SECONDS);
    }

    void pause(TestContainer container) {
        client.pauseContainerCmd(container.id()).exec();
    }

    void unpause(TestContainer container) {
        client.unpauseContainerCmd(container.id()).exec();
    }

    /** A user-defined bridge network with its own subnet; returns its id. */
    String createNetwork(String name, String subnet) {
        return client.createNetworkCmd().withName(name).withDriver("bridge")
                .withIpam(new Network.Ipam().withConfig(new Network.Ipam.Config().withSubnet(subnet)))
                .exec().getId();
    }

    /**
     * Removes a test network with whatever containers are still on it (a test that failed
     * midway leaves its containers running, and a network in use cannot be removed).
     */
    void removeNetworkAndItsContainers(String networkId) {
        for (com.github.dockerjava.api.model.Container container
                : client.listContainersCmd().withShowAll(true).withNetworkFilter(List.of(networkId)).exec()) {
            try {
                client.removeContainerCmd(container.getId()).withForce(true).exec();
            } catch (NotFoundException alreadyGone) {
                // auto-removed meanwhile
            }
        }
        client.removeNetworkCmd(networkId).exec();
    }

    /** Whether a container no longer exists (an auto-removed one after it stopped). */
    boolean isGone(String id) {
        try {
            client.inspectContainerCmd(id).exec();
            return false;
        } catch (NotFoundException gone) {
            return true;
        }
    }

    InetAddress addressOf(String id, String network) {
        ContainerNetwork settings = client.inspectContainerCmd(id).exec().getNetworkSettings().getNetworks().get(network);
        return ClientAddresses.parseLiteral(settings.getIpAddress())
                .orElseThrow(() -> new AssertionError("container " + id + " has no address on " + network));
    }

    void kill(TestContainer container) {
        client.killContainerCmd(container.id()).exec();
    }

    @Override
    public void close() throws IOException {
        for (String id : containers) {
            try {
                client.removeContainerCmd(id).withForce(true).exec();
            } catch (NotFoundException alreadyGone) {
                // auto-removed when it stopped
            } catch (RuntimeException e) {
                System.err.println("cannot remove test container " + id + ": " + e.getMessage());
            }
        }
        client.close();
    }
}
