package org.ambassadord.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.ambassadord.spi.testkit.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboard shipped in {@code distribution/grafana}: every query parses as PromQL
 * ({@code promtool check rules}), and every metric it names is one the image exposes.
 */
class GrafanaDashboardIT {

    private static final Path DASHBOARD = Path.of("grafana", "ambassadord-dashboard.json");

    static List<String> expressions() throws IOException {
        String json = Files.readString(DASHBOARD);
        Matcher expr = Pattern.compile("\"expr\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
        List<String> found = new ArrayList<>();
        while (expr.find()) {
            found.add(expr.group(1).replace("\\\"", "\""));
        }
        return found;
    }

    @Test
    void everyQueryParses(@TempDir Path directory) throws Exception {
        List<String> expressions = expressions();
        assertFalse(expressions.isEmpty());
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        for (int i = 0; i < expressions.size(); i++) {
            rules.append("      - record: dashboard:q").append(i).append("\n        expr: '")
                    .append(expressions.get(i).replace("'", "''")).append("'\n");
        }
        Path file = directory.resolve("dashboard-rules.yml");
        Files.writeString(file, rules);
        Process promtool = new ProcessBuilder("promtool", "check", "rules", file.toString()).redirectErrorStream(true).start();
        String verdict = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, promtool.waitFor(), "promtool check rules (install Debian package prometheus):\n" + verdict);
        assertTrue(verdict.contains("SUCCESS: " + expressions.size() + " rules found"), verdict);
    }

    /** TLS on both hops, so that the TLS families are there too. */
    @Test
    void everyMetricItUsesIsExposed(@TempDir Path directory) throws Exception {
        org.ambassadord.spi.testkit.TestCertificates pki = org.ambassadord.spi.testkit.TestCertificates.create(directory);
        int[] ports = FreePorts.distinct(2);
        int admin = ports[0];
        int relay = ports[1];
        try (ImageProcess image = ImageProcess.start(java.util.Map.of(), "--admin", "127.0.0.1:" + admin,
                "--port", String.valueOf(relay), "--tls-cert", pki.serverCert().toString(), "--tls-key",
                pki.serverKey().toString(), "--upstream-tls", "--upstream-ca", pki.ca().toString(), "127.0.0.1:1")) {
            image.awaitListening(admin);
            image.awaitListening(relay);
            // One connection to the dead endpoint, so that the per-endpoint family has a sample.
            javax.net.ssl.TrustManagerFactory trust = javax.net.ssl.TrustManagerFactory.getInstance(
                    javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            trust.init(org.ambassadord.core.tls.PemFiles.trustStore("ca", pki.ca()));
            javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            try (java.net.Socket client = context.getSocketFactory().createSocket("127.0.0.1", relay)) {
                client.setSoTimeout(5000);
                client.getInputStream().read();
            } catch (java.io.IOException closed) {
                // the relay closes it: nothing accepts at the endpoint
            }
            String metrics = AdminClient.get("http://127.0.0.1:" + admin + "/metrics");
            Set<String> missing = new TreeSet<>();
            for (String expression : expressions()) {
                Matcher name = Pattern.compile("ambassadord_[a-z_]+").matcher(expression);
                while (name.find()) {
                    if (!metrics.contains("\n" + name.group() + "{") && !metrics.contains("\n" + name.group() + " ")) {
                        missing.add(name.group());
                    }
                }
            }
            assertEquals(Set.of(), missing, metrics);
        }
    }
}
