package org.ambassadord.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.ambassadord.spi.testkit.FreePorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code --proxy-protocol v1|v2} with HAProxy as the backend ({@code bind ... accept-proxy}):
 * HAProxy logs the client address it learnt from the header, which must be the test client's
 * own address and port, not the ambassador's outgoing one.
 */
class ProxyProtocolIT {

    private static final Path HAPROXY = Path.of("/usr/sbin/haproxy");
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1", "v2"})
    void haproxyBehindTheAmbassadorSeesTheRealClient(String version, @TempDir Path directory) throws Exception {
        if (!Files.isExecutable(HAPROXY)) {
            throw new AssertionError(HAPROXY + " not found: install Debian package haproxy");
        }
        ServerSocket server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        toClose.add(server);
        Thread replies = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket socket = server.accept()) {
                    socket.getOutputStream().write("through-haproxy".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    return;
                }
            }
        });
        replies.setDaemon(true);
        replies.start();

        // Both now: HAProxy may not have bound its port yet when the relay's is chosen.
        int[] ports = FreePorts.distinct(2);
        int haproxyPort = ports[0];
        Path config = directory.resolve("haproxy.cfg");
        Files.writeString(config, String.join("\n",
                "global",
                "  log stdout format raw local0",
                "defaults",
                "  mode tcp",
                "  log global",
                "  timeout connect 5s",
                "  timeout client 30s",
                "  timeout server 30s",
                "frontend fe",
                "  bind 127.0.0.1:" + haproxyPort + " accept-proxy",
                "  log-format \"client=%ci:%cp\"",
                "  default_backend be",
                "backend be",
                "  server s1 127.0.0.1:" + server.getLocalPort(),
                ""));
        Path log = directory.resolve("haproxy.log");
        Process haproxy = new ProcessBuilder(HAPROXY.toString(), "-db", "-f", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        toClose.add(haproxy::destroyForcibly);
        // The relay starts in a fifth of a second since the AOT cache: HAProxy must be
        // listening before the client's connection is relayed to it, not just started.
        awaitAccepting(haproxyPort, haproxy, log);

        int port = ports[1];
        ImageProcess image = ImageProcess.start(Map.of(), "--port", String.valueOf(port), "--proxy-protocol", version,
                "127.0.0.1:" + haproxyPort);
        toClose.add(image);
        image.awaitListening(port);

        int clientPort;
        try (Socket client = new Socket("127.0.0.1", port)) {
            clientPort = client.getLocalPort();
            client.setSoTimeout(10_000);
            assertEquals("through-haproxy", new String(client.getInputStream().readAllBytes(), StandardCharsets.US_ASCII),
                    Files.readString(log) + image.log());
        }
        String expected = "client=127.0.0.1:" + clientPort;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.readString(log).contains(expected) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        String logged = Files.readString(log);
        System.out.println("HAProxy (accept-proxy) behind --proxy-protocol " + version + " logged: " + logged.strip());
        assertTrue(logged.contains(expected), "HAProxy should log [" + expected + "]:\n" + logged + "\n" + image.log());
    }

    /** Waits until a probe connection to the port is accepted (HAProxy drops it: no PROXY header). */
    private static void awaitAccepting(int port, Process process, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("haproxy exited: " + Files.readString(log));
            }
            try (Socket probe = new Socket()) {
                probe.connect(new java.net.InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (java.io.IOException notYet) {
                Thread.sleep(20);
            }
        }
        throw new AssertionError("haproxy did not listen on " + port + ": " + Files.readString(log));
    }
}
