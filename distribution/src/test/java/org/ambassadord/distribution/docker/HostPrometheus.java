package org.ambassadord.distribution.docker;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Prometheus server (Debian package {@code prometheus}) on loopback, scraping one
 * target every second, with its own temporary storage. Closed when the test ends.
 */
final class HostPrometheus implements AutoCloseable {

    private static final Path BINARY = Path.of("/usr/bin/prometheus");

    private final Process process;
    private final Path directory;
    private final int port;

    private HostPrometheus(Process process, Path directory, int port) {
        this.process = process;
        this.directory = directory;
        this.port = port;
    }

    /** Starts scraping {@code target} ({@code host:port}) and waits until the server answers. */
    static HostPrometheus scraping(String target) throws Exception {
        if (!Files.isExecutable(BINARY)) {
            fail(BINARY + " not found: install Debian package prometheus (.ci/test does)");
        }
        Path directory = Files.createTempDirectory("ambassadord-prometheus");
        Path config = directory.resolve("prometheus.yml");
        Files.writeString(config, "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
                + "scrape_configs:\n  - job_name: ambassadord\n    static_configs:\n      - targets: ['" + target + "']\n");
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Process process = new ProcessBuilder(BINARY.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + directory.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(directory.resolve("prometheus.log").toFile()).start();
        HostPrometheus prometheus = new HostPrometheus(process, directory, port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try {
                if (prometheus.get("/-/ready").startsWith("Prometheus Server is Ready")) {
                    return prometheus;
                }
            } catch (IOException notYet) {
                // still starting
            }
            if (!process.isAlive()) {
                break;
            }
            Thread.sleep(200);
        }
        String log = Files.readString(directory.resolve("prometheus.log"));
        prometheus.close();
        return fail("prometheus did not become ready:\n" + log);
    }

    /** The body of {@code /api/v1/query?query=…}. */
    String query(String expression) throws IOException {
        return get("/api/v1/query?query=" + URLEncoder.encode(expression, StandardCharsets.UTF_8));
    }

    private String get(String path) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL()
                .openConnection();
        connection.setConnectTimeout(1000);
        connection.setReadTimeout(5000);
        try {
            return new String(connection.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            connection.disconnect();
        }
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
