package org.ambassadord.distribution.docker;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.ambassadord.spi.testkit.ScratchDirectories;

/**
 * A real etcd on the host whose client port is on the Docker bridge's gateway address, so
 * that an ambassador container can watch it. Keys are written through etcd's HTTP/JSON
 * gateway ({@code POST /v3/kv/put}, base64 keys and values), so the suite needs no etcd
 * client library and no etcdctl.
 */
final class HostEtcd implements AutoCloseable {

    private static final Path BINARY = Path.of("/usr/bin/etcd");

    private final Process process;
    private final Path dataDirectory;
    private final String address;
    private final int clientPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private HostEtcd(Process process, Path dataDirectory, String address, int clientPort) {
        this.process = process;
        this.dataDirectory = dataDirectory;
        this.address = address;
        this.clientPort = clientPort;
    }

    /** Starts a one-member cluster: clients on {@code address}:random, peers on loopback:random. */
    static HostEtcd start(String address) throws IOException, InterruptedException {
        if (!Files.isExecutable(BINARY)) {
            fail(BINARY + " not found: install Debian package etcd-server");
        }
        int clientPort = freePort(InetAddress.getByName(address));
        int peerPort = freePort(InetAddress.getLoopbackAddress());
        Path data = ScratchDirectories.inMemory("ambassadord-e2e-etcd");
        String client = "http://" + address + ":" + clientPort;
        String peer = "http://127.0.0.1:" + peerPort;
        Process process = new ProcessBuilder(BINARY.toString(), "--name", "e2e", "--data-dir", data.toString(),
                "--listen-client-urls", client, "--advertise-client-urls", client,
                "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                "--initial-cluster", "e2e=" + peer, "--log-level", "error")
                .redirectErrorStream(true)
                .redirectOutput(data.resolveSibling(data.getFileName() + ".log").toFile())
                .start();
        HostEtcd etcd = new HostEtcd(process, data, address, clientPort);
        etcd.awaitHealthy();
        return etcd;
    }

    /** {@code host:port} of the client URL, as an {@code etcd://} spec names it. */
    String endpoint() {
        return address + ":" + clientPort;
    }

    void put(String key, String value) throws IOException, InterruptedException {
        post("/v3/kv/put", "{\"key\":\"" + base64(key) + "\",\"value\":\"" + base64(value) + "\"}");
    }

    private String post(String path, String json) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://" + endpoint() + path))
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            fail("etcd " + path + " " + json + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private void awaitHealthy() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail("etcd exited with " + process.exitValue() + ": " + log());
            }
            try {
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://" + endpoint() + "/health"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200 && health.body().contains("\"true\"")) {
                    return;
                }
            } catch (ConnectException | HttpTimeoutException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        fail("etcd on " + endpoint() + " not healthy within 30 s: " + log());
    }

    private String log() throws IOException {
        return Files.readString(dataDirectory.resolveSibling(dataDirectory.getFileName() + ".log"), StandardCharsets.UTF_8);
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static int freePort(InetAddress address) throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, address)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        Files.deleteIfExists(dataDirectory.resolveSibling(dataDirectory.getFileName() + ".log"));
        try (Stream<Path> files = Files.walk(dataDirectory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
