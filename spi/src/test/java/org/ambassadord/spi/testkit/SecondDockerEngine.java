package org.ambassadord.spi.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A second Docker engine beside the system's: Debian sid's {@code dockerd} 28.5.2 (API 1.51),
 * which {@code .ci/test} unpacks into {@code target/tools/docker-sid}, run with
 * {@code DOCKER_MIN_API_VERSION=1.44} so that it refuses old clients as Engine 29 does.
 *
 * <p>It gets everything of its own: data root, exec root, pid file and socket in a temporary
 * directory, the bridge {@value #BRIDGE} ({@value #GATEWAY}/24) that this class creates, and
 * the address pool {@value #ADDRESS_POOL} for networks. It never touches {@code docker0} or
 * 172.17.0.0/16: a second engine on the system bridge breaks the system engine's containers.
 * Started once per JVM and stopped (bridge removed) when the JVM exits.
 */
public final class SecondDockerEngine {

    public static final String BRIDGE = "ambd-e2";
    public static final String GATEWAY = "10.213.7.1";
    static final String ADDRESS_POOL = "10.214.0.0/16";
    private static final String MINIMUM_API = "1.44";
    private static SecondDockerEngine shared;

    private final Path dockerd = binary();
    private final Path directory;
    private final boolean hadSystemBridge;
    private Process process;

    private SecondDockerEngine(Path directory) throws IOException, InterruptedException {
        this.directory = directory;
        this.hadSystemBridge = run(List.of("ip", "link", "show", "docker0")).status == 0;
    }

    /** The engine of this JVM, started on first use. */
    public static synchronized SecondDockerEngine shared() {
        if (shared == null) {
            try {
                SecondDockerEngine engine = new SecondDockerEngine(Files.createTempDirectory("ambd-engine"));
                engine.createBridge();
                engine.start();
                engine.requireSystemBridge();
                Runtime.getRuntime().addShutdownHook(new Thread(engine::shutDown, "second-engine-stop"));
                shared = engine;
            } catch (IOException | InterruptedException e) {
                throw new AssertionError("cannot start the second Docker engine: " + e, e);
            }
        }
        return shared;
    }

    public Path socket() {
        return directory.resolve("docker.sock");
    }

    public String describe() {
        return dockerd + " on " + socket() + " (minimum API " + MINIMUM_API + ", bridge " + BRIDGE + ")";
    }

    /**
     * Stops the daemon as a supervisor restart would (SIGTERM, wait) and starts it again on
     * the same state: containers with no restart policy stay stopped, as on a real restart.
     */
    public synchronized void restart() throws IOException, InterruptedException {
        stopDaemon();
        // dockerd 28.5.2, started again on a data root whose network store holds the default
        // bridge network of a user-supplied --bridge, "clears the stale bridge network" by
        // deleting docker0 — the system engine's bridge (seen here: the system engine then
        // failed every container with "could not find bridge docker0"). Without the stored
        // network state it makes its bridge network afresh and leaves docker0 alone.
        Files.deleteIfExists(directory.resolve("data/network/files/local-kv.db"));
        start();
        requireSystemBridge();
    }

    /** Fails loudly if the system engine's bridge went missing while this engine ran. */
    private void requireSystemBridge() throws IOException, InterruptedException {
        if (hadSystemBridge && run(List.of("ip", "link", "show", "docker0")).status != 0) {
            throw new IOException("docker0 vanished while the second engine ran: restart the system dockerd");
        }
    }

    /** The daemon's log, for failure messages. */
    public String log() {
        try {
            return Files.readString(directory.resolve("dockerd.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private void start() throws IOException, InterruptedException {
        List<String> command = List.of(dockerd.toString(), "--data-root", directory.resolve("data").toString(),
                "--exec-root", directory.resolve("exec").toString(), "--pidfile", directory.resolve("docker.pid").toString(),
                "-H", "unix://" + socket(), "--bridge", BRIDGE, "--default-address-pool",
                "base=" + ADDRESS_POOL + ",size=24");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("dockerd.log").toFile()));
        builder.environment().put("DOCKER_MIN_API_VERSION", MINIMUM_API);
        // Its own docker-proxy and docker-init sit beside it; containerd and runc are the system's.
        builder.environment().put("PATH", dockerd.getParent() + ":" + dockerd.getParent().resolveSibling("bin") + ":"
                + System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"));
        process = builder.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("dockerd exited with " + process.exitValue() + ":\n" + log());
            }
            if (run(List.of("docker", "-H", "unix://" + socket(), "version", "--format", "{{.Server.Version}}")).status == 0) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IOException("dockerd did not answer within 60 s:\n" + log());
    }

    private void stopDaemon() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    private void shutDown() {
        try {
            String containers = run(List.of("docker", "-H", "unix://" + socket(), "ps", "-aq")).out.strip();
            if (!containers.isEmpty()) {
                List<String> remove = new ArrayList<>(List.of("docker", "-H", "unix://" + socket(), "rm", "-f"));
                remove.addAll(List.of(containers.split("\\s+")));
                run(remove);
            }
            stopDaemon();
            requireSystemBridge();
            run(List.of("ip", "link", "delete", BRIDGE));
            run(List.of("rm", "-rf", directory.toString()));
        } catch (IOException | InterruptedException e) {
            System.err.println("stopping the second Docker engine: " + e);
        }
    }

    /** The bridge, made fresh: one left by a killed run is removed first, with its daemon. */
    private void createBridge() throws IOException, InterruptedException {
        run(List.of("pkill", "-f", "dockerd .*--bridge " + BRIDGE));
        run(List.of("ip", "link", "delete", BRIDGE));
        for (List<String> step : List.of(List.of("ip", "link", "add", BRIDGE, "type", "bridge"),
                List.of("ip", "addr", "add", GATEWAY + "/24", "dev", BRIDGE),
                List.of("ip", "link", "set", BRIDGE, "up"))) {
            Outcome outcome = run(step);
            if (outcome.status != 0) {
                throw new IOException(String.join(" ", step) + ": " + outcome.out);
            }
        }
    }

    private record Outcome(int status, String out) {
    }

    private static Outcome run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        return new Outcome(process.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    private static Path binary() {
        return UnpackedTools.find("AMBASSADORD_SECOND_DOCKERD", "target/tools/docker-sid/usr/sbin/dockerd")
                .orElseThrow(() -> new AssertionError("no second dockerd: run `.ci/debian-package sid docker.io target/tools/docker-sid` at"
                + " the repository root (.ci/test does), or set AMBASSADORD_SECOND_DOCKERD"));
    }
}
