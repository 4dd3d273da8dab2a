package org.ambassadord.distribution.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.ambassadord.distribution.AdminClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin endpoint of the image: known traffic through a container, then {@code /metrics}
 * with the exact counts, accepted by promtool and scraped by a real Prometheus server.
 */
@ExtendWith(DockerSuite.class)
class AdminEndpointIT {

    private static final int CONNECTIONS = 6;
    private static final String REPLY = "served";

    private static String ambassador;
    private static String adminUrl;
    private static int deadPort;
    private static String backendAddress;

    @BeforeAll
    static void trafficThroughTheAmbassador(Containers docker) {
        String backend = docker.echoBackend("admin-echo", 7041, REPLY);
        String address = docker.address(backend);
        backendAddress = address;
        deadPort = 7042;
        // The dead endpoint first; round-robin starts every other connection on it.
        ambassador = docker.startAmbassador("admin-ambassador", "--expose", "7041", docker.image(),
                "--admin", "0.0.0.0:9901", "--balance", "round-robin", "--port", "7041",
                address + ":" + deadPort + "," + address + ":7041");
        adminUrl = "http://" + docker.address(ambassador) + ":9901";
        for (int i = 0; i < CONNECTIONS; i++) {
            assertEquals(REPLY, docker.reply(List.of("--link", ambassador + ":backend"), "backend", 7041),
                    docker.log(ambassador));
        }
    }

    private static String get(String path) throws IOException {
        return AdminClient.get(adminUrl + path);
    }

    /**
     * The client container has exited when its reply is in, but the relay may see that close
     * a moment later; the counts are exact once no connection is active.
     */
    private static String metricsOnceTheLastConnectionClosed() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        String metrics = get("/metrics");
        while (value(metrics, "ambassadord_connections_active") != 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
            metrics = get("/metrics");
        }
        return metrics;
    }

    private static double value(String exposition, String series) {
        Matcher line = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(exposition);
        if (!line.find()) {
            fail("no series [" + series + "] in:\n" + exposition);
        }
        return Double.parseDouble(line.group(1));
    }

    @Test
    void metricsCountTheTrafficExactlyAndPromtoolAcceptsThem(@TempDir Path directory) throws Exception {
        String metrics = metricsOnceTheLastConnectionClosed();
        String dead = backendAddress + ":" + deadPort;
        assertEquals(CONNECTIONS, value(metrics, "ambassadord_connections_total"), metrics);
        assertEquals(0, value(metrics, "ambassadord_connections_active"));
        assertEquals(0, value(metrics, "ambassadord_bytes_total{direction=\"client_to_backend\"}"));
        assertEquals(CONNECTIONS * (REPLY.length() + 1.0), value(metrics, "ambassadord_bytes_total{direction=\"backend_to_client\"}"));
        assertEquals(CONNECTIONS / 2.0, value(metrics, "ambassadord_connect_failures_total{endpoint=\"" + dead + "\"}"), metrics);
        assertEquals(2, value(metrics, "ambassadord_backend_endpoints{spec=\"" + backendAddress + ":" + deadPort + ","
                + backendAddress + ":7041\"}"));
        System.out.println("a /metrics sample after " + CONNECTIONS + " connections:\n" + metrics.lines()
                .filter(line -> line.startsWith("ambassadord_connect") || line.startsWith("ambassadord_bytes"))
                .reduce("", (a, b) -> a + b + "\n"));

        Path file = directory.resolve("metrics.txt");
        Files.writeString(file, metrics);
        Process promtool = new ProcessBuilder("promtool", "check", "metrics").redirectInput(file.toFile())
                .redirectErrorStream(true).start();
        String verdict = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, promtool.waitFor(), verdict);
        assertTrue(verdict.isBlank(), verdict);
    }

    @Test
    void healthReadinessAndStatus() throws Exception {
        assertEquals("ok\n", get("/healthz"));
        assertEquals("ok\n", get("/readyz"));
        String status = get("/status");
        assertTrue(status.contains("\"accepted\" : " + CONNECTIONS), status);
        assertTrue(status.contains("\"" + backendAddress + ":7041\""), status);
    }

    @Test
    void aRealPrometheusScrapesTheCounter() throws Exception {
        try (HostPrometheus prometheus = HostPrometheus.scraping(adminUrl.substring("http://".length()))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            String answer = prometheus.query("ambassadord_connections_total");
            while (!answer.contains("\"" + CONNECTIONS + "\"") && System.nanoTime() < deadline) {
                Thread.sleep(500);
                answer = prometheus.query("ambassadord_connections_total");
            }
            assertTrue(answer.contains("\"job\":\"ambassadord\""), answer);
            assertTrue(answer.contains("\"" + CONNECTIONS + "\"]"), answer);
            System.out.println("Prometheus query API: " + answer);
        }
    }
}
