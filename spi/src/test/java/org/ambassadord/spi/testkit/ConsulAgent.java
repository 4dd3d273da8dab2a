package org.ambassadord.spi.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;


/**
 * A real Consul agent ({@code consul agent -dev}) on ports of its own, for tests: HTTP on
 * the address the test chooses (loopback, or a Docker bridge's gateway for containers).
 * The binary is Debian bullseye's {@code consul} 1.8.7, which {@code .ci/test} unpacks into
 * {@code target/tools/consul} at the repository root; {@code CONSUL_BINARY} or a
 * {@code consul} on the PATH also do. Without one the test fails saying how to get it.
 *
 * <p>A dev agent keeps its data in memory: {@link #restart()} starts an empty agent on the
 * same ports, whose index starts again from the bottom.
 */
public final class ConsulAgent implements AutoCloseable {

    private static final Pattern SECRET = Pattern.compile("\"SecretID\"\\s*:\\s*\"([^\"]+)\"");

    private final Path binary = binary();
    private final Path log;
    private final boolean acl;
    private final String clientAddress;
    /** Null unless the agent serves HTTPS too (see {@link #startWithTls}). */
    private final TestCertificates tls;
    private final int httpsPort;
    private final int httpPort;
    private final int serfLanPort;
    private final int serfWanPort;
    private final int serverPort;
    private Process process;
    private String managementToken;

    private ConsulAgent(String clientAddress, boolean acl, TestCertificates tls) throws IOException {
        this.clientAddress = clientAddress;
        this.tls = tls;
        this.acl = acl;
        this.log = Files.createTempFile("ambassadord-consul", ".log");
        int[] ports = FreePorts.distinct(5);
        this.httpsPort = ports[0];
        this.httpPort = ports[1];
        this.serfLanPort = ports[2];
        this.serfWanPort = ports[3];
        this.serverPort = ports[4];
    }

    /** One HTTP answer of the agent. */
    public record Answer(int status, String index, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** An agent without ACLs, HTTP on loopback. */
    public static ConsulAgent start() throws Exception {
        return start("127.0.0.1", false);
    }

    /** An agent with ACLs on (default deny) and bootstrapped: {@link #managementToken()}. */
    public static ConsulAgent startWithAcls() throws Exception {
        return start("127.0.0.1", true);
    }

    /** An agent whose HTTP API listens on {@code clientAddress}. */
    public static ConsulAgent start(String clientAddress, boolean acl) throws Exception {
        return launched(new ConsulAgent(clientAddress, acl, null));
    }

    /**
     * An agent on loopback that also serves HTTPS ({@link #httpsAddress()}) with the given
     * server certificate, and requires a client certificate signed by the CA there.
     */
    public static ConsulAgent startWithTls(TestCertificates certificates) throws Exception {
        return launched(new ConsulAgent("127.0.0.1", false, certificates));
    }

    /** The agent, running; if it does not start, its process and log go (the failure quotes the log). */
    private static ConsulAgent launched(ConsulAgent consul) throws Exception {
        try {
            consul.launch();
            return consul;
        } catch (Exception | AssertionError e) {
            consul.close();
            throw e;
        }
    }

    /** {@code host:port} of the HTTPS API of an agent from {@link #startWithTls}. */
    public String httpsAddress() {
        return clientAddress + ":" + httpsPort;
    }

    /** {@code host:port} of the HTTP API, as a {@code consul://} spec names it. */
    public String address() {
        return (clientAddress.contains(":") ? "[" + clientAddress + "]" : clientAddress) + ":" + httpPort;
    }

    /** The bootstrap (management) token of an agent with ACLs; null without. */
    public String managementToken() {
        return managementToken;
    }

    /** {@code PUT /v1/kv/<key>} with the management token (if any). */
    public void put(String key, String value) throws IOException {
        Answer answer = request("PUT", "/v1/kv/" + key, value.getBytes(StandardCharsets.UTF_8), managementToken);
        if (answer.status() != 200) {
            throw new IOException("PUT " + key + ": HTTP " + answer.status() + " " + answer.text());
        }
    }

    /** Any request to the agent's HTTP API. */
    public Answer request(String method, String pathAndQuery, byte[] body, String token) throws IOException {
        return request("http://" + address(), method, pathAndQuery, body, token);
    }

    /** One request to a Consul HTTP API at {@code base} ({@code http://host:port}), the token as a header. */
    public static Answer request(String base, String method, String pathAndQuery, byte[] body, String token)
            throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create(base + pathAndQuery).toURL().openConnection();
        try {
            connection.setRequestMethod(method);
            connection.setRequestProperty("Connection", "close");
            connection.setConnectTimeout(5_000);
            connection.setReadTimeout(60_000);
            if (token != null) {
                connection.setRequestProperty("X-Consul-Token", token);
            }
            if (body != null) {
                connection.setDoOutput(true);
                try (OutputStream out = connection.getOutputStream()) {
                    out.write(body);
                }
            }
            int status = connection.getResponseCode();
            InputStream stream = status < 400 ? connection.getInputStream() : connection.getErrorStream();
            byte[] bytes = stream == null ? new byte[0] : stream.readAllBytes();
            return new Answer(status, connection.getHeaderField("X-Consul-Index"), bytes);
        } finally {
            connection.disconnect();
        }
    }

    /** Kills the agent and starts an empty one on the same ports. */
    public void restart() throws Exception {
        stop();
        launch();
    }

    public void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
            process = null;
        }
    }

    /** {@code GET /v1/snapshot}: the whole state, to restore later. */
    public byte[] saveSnapshot() throws IOException {
        Answer answer = request("GET", "/v1/snapshot", null, managementToken);
        if (answer.status() != 200) {
            throw new IOException("snapshot save: HTTP " + answer.status() + " " + answer.text());
        }
        return answer.body();
    }

    /** {@code PUT /v1/snapshot}: the state goes back to the snapshot, and the index with it. */
    public void restoreSnapshot(byte[] snapshot) throws IOException {
        Answer answer = request("PUT", "/v1/snapshot", snapshot, managementToken);
        if (answer.status() != 200) {
            throw new IOException("snapshot restore: HTTP " + answer.status() + " " + answer.text());
        }
    }

    /** The agent's log so far, for failure messages. */
    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    private void launch() throws Exception {
        List<String> command = new ArrayList<>(List.of(binary.toString(), "agent", "-dev", "-bind=127.0.0.1",
                "-client=" + clientAddress, "-http-port=" + httpPort, "-dns-port=-1", "-grpc-port=-1",
                "-serf-lan-port=" + serfLanPort, "-serf-wan-port=" + serfWanPort, "-server-port=" + serverPort,
                "-log-level=warn"));
        if (tls != null) {
            command.add("-hcl");
            command.add("ports { https = " + httpsPort + " }");
            command.add("-hcl");
            command.add("ca_file = \"" + tls.ca() + "\"\ncert_file = \"" + tls.serverCert() + "\"\nkey_file = \""
                    + tls.serverKey() + "\"\nverify_incoming_https = true");
        }
        if (acl) {
            command.add("-hcl");
            command.add("acl { enabled = true, default_policy = \"deny\", enable_token_persistence = false }");
        }
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        awaitLeader();
        if (acl) {
            bootstrap();
        }
    }

    private void awaitLeader() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("consul agent exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                Answer leader = request("GET", "/v1/status/leader", null, null);
                if (leader.status() == 200 && leader.text().contains(":")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("consul agent elected no leader within 30 s:\n" + log());
    }

    /** {@code PUT /v1/acl/bootstrap}, as {@code consul acl bootstrap} does; retried while ACLs initialise. */
    private void bootstrap() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String last = "";
        while (System.nanoTime() < deadline) {
            Answer answer = request("PUT", "/v1/acl/bootstrap", new byte[0], null);
            Matcher secret = SECRET.matcher(answer.text());
            if (answer.status() == 200 && secret.find()) {
                managementToken = secret.group(1);
                return;
            }
            last = answer.status() + " " + answer.text();
            Thread.sleep(200);
        }
        throw new AssertionError("consul acl bootstrap failed: " + last + "\n" + log());
    }

    private static Path binary() {
        java.util.Optional<Path> unpacked = UnpackedTools.find("CONSUL_BINARY", "target/tools/consul/usr/bin/consul");
        if (unpacked.isPresent()) {
            return unpacked.get();
        }
        for (String entry : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path onPath = Path.of(entry, "consul");
            if (!entry.isEmpty() && Files.isExecutable(onPath)) {
                return onPath;
            }
        }
        throw new AssertionError("no consul binary: run `.ci/debian-package bullseye consul target/tools/consul` at the"
                + " repository root (.ci/test does), or set CONSUL_BINARY");
    }

    @Override
    public void close() throws InterruptedException {
        stop();
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // a temp file
        }
    }
}
