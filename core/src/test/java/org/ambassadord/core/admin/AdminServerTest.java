package org.ambassadord.core.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.ambassadord.core.accesslog.AccessLog;
import org.ambassadord.core.logging.RefusalLog;
import org.ambassadord.spi.Backend;
import org.ambassadord.spi.ClientConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ambassadord.core.relay.RelayServer;
import org.ambassadord.core.relay.RelaySettings;

/**
 * The admin endpoint over a real relay and real sockets: exact counts after known traffic,
 * promtool's verdict on the exposition, health when a loop dies, readiness, status.
 */
class AdminServerTest {

    private static final int CONNECTIONS = 5;
    private static final int BYTES = 100_000;

    /** A backend whose answer the test sets; ordered, so a dead first endpoint is always tried. */
    private static final class ScriptedBackend implements Backend {
        volatile List<InetSocketAddress> endpoints = List.of();
        volatile boolean ready = true;
        volatile Error failWith;

        @Override
        public CompletionStage<List<InetSocketAddress>> resolve(ClientConnection connection) {
            if (failWith != null) {
                throw failWith;
            }
            return CompletableFuture.completedFuture(endpoints);
        }

        @Override
        public Set<Integer> listenPorts() {
            return Set.of(0);
        }

        @Override
        public boolean ordersEndpoints() {
            return true;
        }

        @Override
        public boolean isReady() {
            return ready;
        }

        @Override
        public java.util.Map<String, Long> counters() {
            return java.util.Map.of("scripted_answers", 7L, "Not A Name", 1L);
        }

        @Override
        public void close() {
        }
    }

    /** One answer of the admin endpoint. */
    private record Reply(int statusCode, String contentType, String body) {
    }
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final ScriptedBackend backend = new ScriptedBackend();
    private RelayServer relay;
    private AdminServer admin;

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private void start(int loops) throws IOException {
        start(loops, org.ambassadord.core.fairness.FairnessSettings.OFF);
    }

    private void start(int loops, org.ambassadord.core.fairness.FairnessSettings fairness) throws IOException {
        ObservedBackend observed = new ObservedBackend(backend, "scripted://test");
        RelaySettings settings = RelaySettings.defaults(List.of(0)).withBindAddress(InetAddress.getLoopbackAddress())
                .withLoops(loops).withConnectTimeout(Duration.ofSeconds(2)).withFairness(fairness);
        RefusalLog refusals = new RefusalLog();
        relay = RelayServer.start(observed, settings, Optional.empty(), refusals);
        toClose.add(relay);
        admin = AdminServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                new AdminSources(relay, observed, refusals, AccessLog.OFF, Optional.empty(), "test", System.currentTimeMillis()));
        toClose.add(admin);
    }

    /** An echo server: reads everything, then writes it all back. */
    private InetSocketAddress echoServer() throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        toClose.add(server);
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket socket = server.accept()) {
                    byte[] received = socket.getInputStream().readAllBytes();
                    socket.getOutputStream().write(received);
                } catch (IOException e) {
                    return;
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    private static InetSocketAddress deadEndpoint() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return (InetSocketAddress) probe.getLocalSocketAddress();
        }
    }

    private byte[] exchange(byte[] payload) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(relay.listenAddresses().get(0), 2000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(payload);
            socket.shutdownOutput();
            InputStream in = socket.getInputStream();
            return in.readAllBytes();
        }
    }

    private Reply get(String path) throws Exception {
        return request("GET", path);
    }

    private Reply request(String method, String path) throws Exception {
        HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + admin.address().getPort()
                + path).toURL().openConnection();
        connection.setRequestMethod(method);
        connection.setConnectTimeout(2000);
        connection.setReadTimeout(5000);
        int status = connection.getResponseCode();
        InputStream body = status < 400 ? connection.getInputStream() : connection.getErrorStream();
        String text = body == null ? "" : new String(body.readAllBytes(), StandardCharsets.UTF_8);
        connection.disconnect();
        return new Reply(status, String.valueOf(connection.getContentType()), text);
    }

    private static double value(String exposition, String series) {
        Matcher line = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(exposition);
        if (!line.find()) {
            fail("no series [" + series + "] in:\n" + exposition);
        }
        return Double.parseDouble(line.group(1));
    }

    private void awaitActive(long expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (relay.metrics().active() != expected && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    @Test
    void metricsCountKnownTrafficExactly(@TempDir Path directory) throws Exception {
        InetSocketAddress dead = deadEndpoint();
        backend.endpoints = List.of(dead, echoServer());
        start(2);
        byte[] payload = new byte[BYTES];
        java.util.Arrays.fill(payload, (byte) 'x');
        for (int i = 0; i < CONNECTIONS; i++) {
            assertEquals(BYTES, exchange(payload).length);
        }
        awaitActive(0);

        Reply response = get("/metrics");
        assertEquals(200, response.statusCode());
        assertTrue(response.contentType().startsWith("text/plain; version=0.0.4"), response.contentType());
        String metrics = response.body();
        assertEquals(CONNECTIONS, value(metrics, "ambassadord_connections_total"));
        assertEquals(0, value(metrics, "ambassadord_connections_active"));
        assertEquals((double) CONNECTIONS * BYTES, value(metrics, "ambassadord_bytes_total{direction=\"client_to_backend\"}"));
        assertEquals((double) CONNECTIONS * BYTES, value(metrics, "ambassadord_bytes_total{direction=\"backend_to_client\"}"));
        // Three failures in a row eject the dead endpoint (the default); later connections skip it.
        assertEquals(3, value(metrics, "ambassadord_connect_failures_total{endpoint=\"127.0.0.1:" + dead.getPort() + "\"}"));
        assertEquals(1, value(metrics, "ambassadord_endpoints_ejected"));
        assertEquals(0, value(metrics, "ambassadord_connections_refused_total{reason=\"backend\"}"));
        assertEquals(CONNECTIONS, value(metrics, "ambassadord_connect_duration_seconds_count"));
        assertEquals(CONNECTIONS, value(metrics, "ambassadord_connect_duration_seconds_bucket{le=\"+Inf\"}"));
        assertEquals(2, value(metrics, "ambassadord_backend_endpoints{spec=\"scripted://test\"}"));
        assertEquals(2, value(metrics, "ambassadord_loops_alive"));
        assertEquals(7, value(metrics, "ambassadord_scripted_answers_total"), "the backend's own counters");
        assertTrue(!metrics.contains("Not A Name"), "names that are not metric names are left out");

        Path file = directory.resolve("metrics.txt");
        Files.writeString(file, metrics);
        Process promtool = new ProcessBuilder(Promtool.path(), "check", "metrics").redirectInput(file.toFile())
                .redirectErrorStream(true).start();
        String verdict = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, promtool.waitFor(), "promtool check metrics:\n" + verdict);
        assertTrue(verdict.isBlank(), "promtool has remarks:\n" + verdict);
    }

    /** A long-lived connection's bytes count while it lasts, not only when it closes. */
    @Test
    void bytesCountWhileTheConnectionIsOpen() throws Exception {
        backend.endpoints = List.of(echoServer());
        start(1);
        try (Socket socket = new Socket()) {
            socket.connect(relay.listenAddresses().get(0), 2000);
            socket.getOutputStream().write(new byte[50_000]);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (relay.metrics().bytesClientToBackend() < 50_000 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            String metrics = get("/metrics").body();
            assertEquals(1, value(metrics, "ambassadord_connections_active"));
            assertEquals(50_000, value(metrics, "ambassadord_bytes_total{direction=\"client_to_backend\"}"));
        }
    }

    @Test
    void refusalsAreCountedByReason() throws Exception {
        start(1);
        assertEquals(0, exchange(new byte[0]).length);
        awaitActive(0);
        String metrics = get("/metrics").body();
        assertEquals(1, value(metrics, "ambassadord_connections_refused_total{reason=\"no_endpoints\"}"));
        assertEquals(1, value(metrics, "ambassadord_refusal_log_lines_total"));
    }

    @Test
    void healthTurns503WhenALoopDies() throws Exception {
        backend.endpoints = List.of(echoServer());
        start(1);
        assertEquals(200, get("/healthz").statusCode());
        assertEquals("ok\n", get("/healthz").body());

        // A fatal JVM error stops the loop (any other throwable closes one connection only);
        // the endpoint must tell a supervisor.
        backend.failWith = new InternalError("test: the JVM is broken");
        try (Socket socket = new Socket()) {
            socket.connect(relay.listenAddresses().get(0), 2000);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        Reply health = get("/healthz");
        while (health.statusCode() == 200 && System.nanoTime() < deadline) {
            Thread.sleep(20);
            health = get("/healthz");
        }
        assertEquals(503, health.statusCode());
        assertEquals("1 of 1 event loops died; connections to their listeners are not served\n", health.body());
        assertEquals(503, get("/readyz").statusCode());
    }

    @Test
    void readinessWaitsForTheBackendsFirstAnswer() throws Exception {
        backend.ready = false;
        start(1);
        Reply notReady = get("/readyz");
        assertEquals(503, notReady.statusCode());
        assertEquals("backend [scripted://test] has no first answer yet\n", notReady.body());
        assertEquals(200, get("/healthz").statusCode(), "alive while not ready");
        backend.ready = true;
        assertEquals(200, get("/readyz").statusCode());
    }

    @Test
    void statusShowsTheBackendsAnswerAndOnlyReads() throws Exception {
        InetSocketAddress echo = echoServer();
        backend.endpoints = List.of(echo);
        start(1);
        exchange("x".getBytes(StandardCharsets.US_ASCII));
        String status = get("/status").body();
        assertTrue(status.contains("\"spec\" : \"scripted://test\""), status);
        assertTrue(status.contains("\"127.0.0.1:" + echo.getPort() + "\""), status);
        assertTrue(status.contains("\"accepted\" : 1"), status);

        assertEquals(405, request("DELETE", "/status").statusCode());
        assertEquals(404, get("/nothing").statusCode());
    }

    /** Per-client refusals by reason, open connections per endpoint and the top clients, in /metrics and /status. */
    @Test
    void fairnessShowsInMetricsAndStatus() throws Exception {
        InetSocketAddress echo = echoServer();
        backend.endpoints = List.of(echo);
        start(1, new org.ambassadord.core.fairness.FairnessSettings(1, 0, Duration.ZERO, 0, Duration.ofSeconds(5)));
        try (Socket held = new Socket()) {
            held.connect(relay.listenAddresses().get(0), 2000);
            awaitActive(1);
            for (int i = 0; i < 200 && relay.fairness().load().openTo(echo) == 0; i++) {
                Thread.sleep(10);
            }
            try (Socket refused = new Socket()) {
                refused.connect(relay.listenAddresses().get(0), 2000);
                refused.setSoTimeout(2000);
                assertEquals(-1, refused.getInputStream().read(), "over its cap of 1: closed at once");
            } catch (java.net.SocketException reset) {
                // reset: the refusal, seen by this client in connect() or read()
            }
            String metrics = get("/metrics").body();
            assertEquals(1, value(metrics, "ambassadord_connections_refused_total{reason=\"client_cap\"}"));
            assertEquals(1, value(metrics, "ambassadord_endpoint_connections_open{endpoint=\"127.0.0.1:" + echo.getPort() + "\"}"));
            assertEquals(1, value(metrics, "ambassadord_clients_tracked"));
            assertEquals(0, value(metrics, "ambassadord_queue_waiting"));
            String status = get("/status").body();
            assertTrue(status.contains("\"client\" : \"127.0.0.1\""), status);
            assertTrue(status.contains("\"open\" : 1"), status);
            assertTrue(status.contains("\"client_cap\" : 1"), status);
            assertTrue(status.contains("\"127.0.0.1:" + echo.getPort() + "\" : 1"), status);
        }
    }
}
