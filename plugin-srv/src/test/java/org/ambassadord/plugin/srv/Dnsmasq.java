package org.ambassadord.plugin.srv;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * A real dnsmasq on 127.0.0.1 and a random port, serving only the records a test gives
 * (no /etc/hosts, no upstream servers). Every record carries a TTL of 1 second.
 */
final class Dnsmasq implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/sbin/dnsmasq");
    /** A name every instance answers, to tell when it is ready. */
    private static final String READY_NAME = "ready.dnsmasq.test";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private final int port;
    /** Holds the log and {@code hosts.d}, the directory dnsmasq watches with inotify. */
    private final Path directory;
    private final Path log;
    private final Path hostsDirectory;
    private Process process;

    private Dnsmasq(int port, Path directory) throws IOException {
        this.port = port;
        this.directory = directory;
        this.log = directory.resolve("dnsmasq.log");
        this.hostsDirectory = Files.createDirectory(directory.resolve("hosts.d"));
    }

    /**
     * Starts dnsmasq with the given record options, e.g.
     * {@code --srv-host=redis.service.consul,a.test,6379,10,1} and
     * {@code --host-record=a.test,127.0.0.1}.
     */
    static Dnsmasq start(String... records) throws Exception {
        if (!Files.isExecutable(BINARY)) {
            fail("dnsmasq not found at [" + BINARY + "]: install the Debian package dnsmasq-base");
        }
        IOException lastError = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            Dnsmasq dnsmasq = new Dnsmasq(freePort(), Files.createTempDirectory("dnsmasq"));
            try {
                dnsmasq.launch(records);
                return dnsmasq;
            } catch (IOException e) {
                // Another process took the port between our probe and dnsmasq's bind.
                lastError = e;
                dnsmasq.close();
            }
        }
        throw lastError;
    }

    int port() {
        return port;
    }

    /** The {@code ?dns=} value that points at this instance. */
    String dnsOption() {
        return "dns=127.0.0.1:" + port;
    }

    /**
     * Replaces the hosts file in the watched directory, e.g. {@code "127.0.0.5 h.test"}.
     * The file is written next to the directory and moved in, so dnsmasq sees one complete
     * file and drops the names of the one it replaces (a write in place only adds names).
     */
    void hosts(String content) throws IOException {
        Path staged = Files.writeString(directory.resolve("hosts.staged"), content + "\n", StandardCharsets.UTF_8);
        Files.move(staged, hostsDirectory.resolve("hosts"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Stops the server and starts it again on the same port with other records. Retries for
     * a moment when the port is busy: in between, any process may have bound it briefly as
     * a client port (dnsjava, for one, picks random source ports for its queries).
     */
    void restart(String... records) throws Exception {
        stop();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            try {
                launch(records);
                return;
            } catch (IOException busy) {
                if (System.nanoTime() > deadline || !busy.getMessage().contains("Address already in use")) {
                    throw busy;
                }
                Thread.sleep(50);
            }
        }
    }

    /** Stops the server; the port stays reserved for {@link #restart}. */
    void stop() {
        if (process != null) {
            // dnsmasq serves each TCP connection in a child process; stop those too.
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    @Override
    public void close() throws IOException {
        stop();
        try (var files = Files.walk(directory)) {
            for (Path path : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private void launch(String... records) throws Exception {
        List<String> command = new ArrayList<>(List.of(BINARY.toString(),
                // Not --no-daemon: in that debug mode dnsmasq serves TCP in its main process and
                // stops answering anything (and ignores SIGTERM) while a TCP client lingers.
                "--keep-in-foreground", "--conf-file=/dev/null", "--pid-file=", "--no-resolv", "--no-hosts",
                "--listen-address=127.0.0.1", "--bind-interfaces", "--port=" + port, "--local-ttl=1",
                "--local=/test/", "--local=/consul/", "--log-facility=-",
                "--hostsdir=" + hostsDirectory, "--host-record=" + READY_NAME + ",127.0.0.1"));
        if ("root".equals(System.getProperty("user.name"))) {
            command.add("--user=root"); // otherwise it switches to "nobody", which may not exist in a container
        }
        command.addAll(List.of(records));
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
        awaitReady();
    }

    private void awaitReady() throws Exception {
        SimpleResolver resolver = new SimpleResolver(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        resolver.setTimeout(Duration.ofMillis(200));
        Message query = Message.newQuery(Record.newRecord(Name.fromString(READY_NAME + "."), Type.A, DClass.IN));
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("dnsmasq exited with " + process.exitValue() + ": " + output());
            }
            try {
                if (resolver.send(query).getRcode() == Rcode.NOERROR) {
                    return;
                }
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        fail("dnsmasq did not answer on port " + port + " within " + START_TIMEOUT + ": " + output());
    }

    private String output() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8).replace('\n', ' ');
    }

    /**
     * A port free for both UDP and TCP on loopback right now, below Linux's ephemeral range
     * (32768 and up) so that client sockets rarely take it between a stop and a restart.
     */
    private static int freePort() throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            int candidate = ThreadLocalRandom.current().nextInt(20000, 32768);
            try (DatagramSocket udp = new DatagramSocket(candidate, InetAddress.getLoopbackAddress());
                 ServerSocket tcp = new ServerSocket(candidate, 1, InetAddress.getLoopbackAddress())) {
                if (udp.isBound() && tcp.isBound()) {
                    return candidate;
                }
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no free port for dnsmasq");
    }
}
