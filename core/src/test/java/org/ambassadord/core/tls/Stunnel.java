package org.ambassadord.core.tls;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.ambassadord.spi.testkit.FreePorts;

/**
 * A real TLS server for tests: stunnel 4 terminating TLS on a loopback port and forwarding the
 * plaintext to {@code target}, with the given certificate, optionally requiring a client
 * certificate signed by {@code clientCa}. Fails saying what to install without stunnel4.
 */
public final class Stunnel implements AutoCloseable {

    private final Process process;
    private final InetSocketAddress address;
    private final Path log;

    private Stunnel(Process process, InetSocketAddress address, Path log) {
        this.process = process;
        this.address = address;
        this.log = log;
    }

    public static Stunnel start(Path directory, InetSocketAddress target, Path cert, Path key, Path clientCa)
            throws IOException, InterruptedException {
        return launch(directory, "127.0.0.1", target, "cert = " + cert + "\nkey = " + key + "\n"
                + (clientCa == null ? "" : "CAfile = " + clientCa + "\nverifyChain = yes\nrequireCert = yes\n"));
    }

    /**
     * stunnel as a TLS client: plaintext accepted on its own port goes to {@code target} over
     * TLS, the server's certificate verified against {@code ca} and its name
     * {@code checkHost}; with {@code cert} and {@code key} it presents a client certificate.
     */
    public static Stunnel client(Path directory, InetSocketAddress target, Path ca, String checkHost, Path cert, Path key)
            throws IOException, InterruptedException {
        return launch(directory, "127.0.0.1", target, "client = yes\nCAfile = " + ca + "\nverifyChain = yes\ncheckHost = " + checkHost
                + "\n" + (cert == null ? "" : "cert = " + cert + "\nkey = " + key + "\n"));
    }

    /** A TLS server as {@link #start} that speaks TLS 1.2 at most. */
    public static Stunnel startTls12(Path directory, InetSocketAddress target, Path cert, Path key)
            throws IOException, InterruptedException {
        return launch(directory, "127.0.0.1", target, "cert = " + cert + "\nkey = " + key + "\nsslVersionMax = TLSv1.2\n");
    }

    /** A TLS server as {@link #start}, listening on IPv6 loopback ({@code ::1}). */
    public static Stunnel startIpv6(Path directory, InetSocketAddress target, Path cert, Path key)
            throws IOException, InterruptedException {
        return launch(directory, "::1", target, "cert = " + cert + "\nkey = " + key + "\n");
    }

    private static Stunnel launch(Path directory, String host, InetSocketAddress target, String service)
            throws IOException, InterruptedException {
        int port = FreePorts.distinct(1)[0];
        Path config = Files.createTempFile(directory, "stunnel", ".conf");
        Path log = Files.createTempFile(directory, "stunnel", ".log");
        String text = "foreground = yes\npid =\noutput = " + log + "\ndebug = 6\n[tls]\naccept = " + host + ":" + port
                + "\nconnect = " + target.getAddress().getHostAddress() + ":" + target.getPort() + "\n" + service;
        Files.writeString(config, text, StandardCharsets.US_ASCII);
        Process process;
        try {
            process = new ProcessBuilder("stunnel4", config.toString()).redirectErrorStream(true)
                    .redirectOutput(directory.resolve("stunnel-" + port + ".out").toFile()).start();
        } catch (IOException e) {
            throw new AssertionError("cannot run stunnel4 (install Debian package stunnel4): " + e.getMessage());
        }
        Stunnel stunnel = new Stunnel(process, new InetSocketAddress(host, port), log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Socket probe = new Socket(host, port)) {
                return stunnel;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    break;
                }
                Thread.sleep(50);
            }
        }
        stunnel.close();
        throw new AssertionError("stunnel did not listen on " + port + ": " + Files.readString(log));
    }

    public InetSocketAddress address() {
        return address;
    }

    /** What stunnel logged (handshake failures, peer certificates). */
    public String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
