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
        int port = FreePorts.distinct(1)[0];
        Path config = Files.createTempFile(directory, "stunnel", ".conf");
        Path log = Files.createTempFile(directory, "stunnel", ".log");
        String text = "foreground = yes\npid =\noutput = " + log + "\ndebug = 4\n[tls]\naccept = 127.0.0.1:" + port
                + "\nconnect = " + target.getAddress().getHostAddress() + ":" + target.getPort()
                + "\ncert = " + cert + "\nkey = " + key + "\n"
                + (clientCa == null ? "" : "CAfile = " + clientCa + "\nverifyChain = yes\nrequireCert = yes\n");
        Files.writeString(config, text, StandardCharsets.US_ASCII);
        Process process;
        try {
            process = new ProcessBuilder("stunnel4", config.toString()).redirectErrorStream(true)
                    .redirectOutput(directory.resolve("stunnel-" + port + ".out").toFile()).start();
        } catch (IOException e) {
            throw new AssertionError("cannot run stunnel4 (install Debian package stunnel4): " + e.getMessage());
        }
        Stunnel stunnel = new Stunnel(process, new InetSocketAddress("127.0.0.1", port), log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Socket probe = new Socket("127.0.0.1", port)) {
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
