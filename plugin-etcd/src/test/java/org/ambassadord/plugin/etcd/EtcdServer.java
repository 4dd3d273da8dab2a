package org.ambassadord.plugin.etcd;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.CompactOption;
import org.ambassadord.spi.testkit.FreePorts;
import org.ambassadord.spi.testkit.ScratchDirectories;
import org.ambassadord.spi.testkit.TestCertificates;

/**
 * A real single-member etcd ({@code /usr/bin/etcd}, Debian package {@code etcd-server}) on
 * random loopback ports with a temporary data directory, and a jetcd client to write to it.
 *
 * <p>{@link #kill()} and {@link #start()} again keep the ports and the data, as an etcd
 * restart in production would; {@link #pause()} freezes the process so that connections
 * stay open but nothing answers.
 */
final class EtcdServer implements AutoCloseable {

    private static final Path ETCD = Path.of("/usr/bin/etcd");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    /** The test's own writes: generous, since a stall there is not what a test checks (see {@link #await}). */
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);

    private final Path dataDir;
    private final Path logFile;
    private final int clientPort;
    private final int peerPort;
    private Process process;
    private Client client;
    /** Null unless the server also listens with TLS (see {@link #startNewWithTls}). */
    private TestCertificates tls;
    /** Free whether or not TLS is used: chosen with the others so that the three differ. */
    private final int tlsPort;
    /** Set once {@link #enableAuth} turned authentication on: the test's own client logs in as root. */
    private String rootPassword;

    private EtcdServer() throws IOException {
        if (!Files.isExecutable(ETCD)) {
            fail("etcd not found at [" + ETCD + "]: install the Debian package etcd-server (apt-get install etcd-server)");
        }
        Path dir = ScratchDirectories.inMemory("ambassadord-etcd-test");
        this.dataDir = dir.resolve("data");
        this.logFile = dir.resolve("etcd.log");
        int[] ports = FreePorts.distinct(3);
        this.clientPort = ports[0];
        this.peerPort = ports[1];
        this.tlsPort = ports[2];
    }

    /** Starts a fresh etcd and waits until it is healthy. */
    static EtcdServer startNew() throws Exception {
        EtcdServer server = new EtcdServer();
        server.start();
        return server;
    }

    /**
     * A fresh etcd that also listens with TLS on {@link #tlsEndpoint()}, requiring client
     * certificates signed by the CA ({@code --client-cert-auth}); the plain listener stays
     * for the test's own writes.
     */
    static EtcdServer startNewWithTls(TestCertificates certificates) throws Exception {
        EtcdServer server = new EtcdServer();
        server.tls = certificates;
        server.start();
        return server;
    }

    /** {@code 127.0.0.1:port} of the TLS listener. */
    String tlsEndpoint() {
        return "127.0.0.1:" + tlsPort;
    }

    /** Turns etcd's authentication on, with user root (role root) and this password. */
    void enableAuth(String password) throws Exception {
        io.etcd.jetcd.Auth auth = client.getAuthClient();
        await("role add root", auth.roleAdd(bytes("root")));
        await("user add root", auth.userAdd(bytes("root"), bytes(password)));
        await("grant role root", auth.userGrantRole(bytes("root"), bytes("root")));
        await("auth enable", auth.authEnable());
        rootPassword = password;
        closeClient();
        client = newClient();
    }

    private Client newClient() {
        io.etcd.jetcd.ClientBuilder builder = Client.builder().endpoints("http://" + endpoint());
        if (rootPassword != null) {
            builder.user(bytes("root")).password(bytes(rootPassword));
        }
        return builder.build();
    }

    /** {@code 127.0.0.1:port} of the client URL. */
    String endpoint() {
        return "127.0.0.1:" + clientPort;
    }

    /** {@code [::1]:port}: etcd listens on the IPv6 loopback too. */
    String ipv6Endpoint() {
        return "[::1]:" + clientPort;
    }

    /** Starts (or restarts after {@link #kill()}) on the same ports and data directory. */
    void start() throws Exception {
        String peerUrl = "http://127.0.0.1:" + peerPort;
        String clientUrl = "http://" + endpoint();
        List<String> command = new java.util.ArrayList<>(List.of(ETCD.toString(),
                "--name", "test",
                "--data-dir", dataDir.toString(),
                "--listen-client-urls", clientUrl + ",http://[::1]:" + clientPort
                        + (tls == null ? "" : ",https://" + tlsEndpoint()),
                "--advertise-client-urls", clientUrl,
                "--listen-peer-urls", peerUrl,
                "--initial-advertise-peer-urls", peerUrl,
                "--initial-cluster", "test=" + peerUrl,
                "--initial-cluster-state", "new",
                "--logger", "zap",
                "--log-outputs", "stderr"));
        if (tls != null) {
            command.addAll(List.of("--cert-file", tls.serverCert().toString(), "--key-file", tls.serverKey().toString(),
                    "--trusted-ca-file", tls.ca().toString(), "--client-cert-auth"));
        }
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
        awaitHealthy();
        client = newClient();
    }

    /** SIGKILL: no goodbye to open connections, as in a crash. */
    void kill() {
        closeClient();
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    /** SIGSTOP: connections stay open, nothing answers. */
    void pause() throws Exception {
        signal("-STOP");
    }

    /** SIGCONT after {@link #pause()}. */
    void resume() throws Exception {
        signal("-CONT");
    }

    void put(String key, String value) throws Exception {
        await("put " + key, client.getKVClient().put(bytes(key), bytes(value)));
    }

    void delete(String key) throws Exception {
        await("delete " + key, client.getKVClient().delete(bytes(key)));
    }

    /** The current revision of the store. */
    long revision() throws Exception {
        return await("read the revision", client.getKVClient().get(bytes("\0"))).getHeader().getRevision();
    }

    /** Compacts away every revision before {@code revision}, waiting until it is physically done. */
    void compact(long revision) throws Exception {
        await("compact to " + revision,
                client.getKVClient().compact(revision, CompactOption.builder().withCompactPhysical(true).build()));
    }

    /** The test's own request; a stall fails with etcd's log, which says whether etcd or the client waited. */
    private <T> T await(String request, CompletableFuture<T> answer) throws Exception {
        try {
            return answer.get(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            return fail("etcd did not answer the test's " + request + " within " + WRITE_TIMEOUT + "; etcd's log:\n" + logTail());
        }
    }

    /** The last lines etcd logged, for failure messages. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no etcd log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws IOException {
        kill();
        try (Stream<Path> files = Files.walk(dataDir.getParent())) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    private void awaitHealthy() throws Exception {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail("etcd exited with " + process.exitValue() + ":\n" + logTail());
            }
            if (healthy()) {
                return;
            }
            Thread.sleep(50);
        }
        fail("etcd not healthy within " + START_TIMEOUT + ":\n" + logTail());
    }

    private boolean healthy() {
        try {
            HttpURLConnection connection = (HttpURLConnection) new URL("http://" + endpoint() + "/health").openConnection();
            connection.setConnectTimeout(500);
            connection.setReadTimeout(500);
            try (InputStream body = connection.getInputStream()) {
                return new String(body.readAllBytes(), StandardCharsets.UTF_8).contains("\"health\":\"true\"");
            } finally {
                connection.disconnect();
            }
        } catch (IOException e) {
            return false;
        }
    }

    private void signal(String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            fail("kill " + signal + " " + process.pid() + " failed");
        }
    }

    private void closeClient() {
        if (client != null) {
            client.close();
            client = null;
        }
    }

    private static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }
}
