package org.ambassadord.distribution.docker;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A dnsmasq on the host, on the Docker bridge's gateway address, so that containers can ask
 * it: the DNS server of the SRV tests. Serves only the records it is given ({@code --srv-host},
 * {@code --host-record}); everything else is refused, nothing is forwarded.
 */
final class HostDnsmasq implements AutoCloseable {

    private static final Path BINARY = Path.of("/usr/sbin/dnsmasq");
    private static final String READY_NAME = "ready.e2e.test";

    private final Process process;
    private final Path log;
    private final String address;
    private final int port;

    private HostDnsmasq(Process process, Path log, String address, int port) {
        this.process = process;
        this.log = log;
        this.address = address;
        this.port = port;
    }

    /**
     * Starts dnsmasq on {@code address:port} (UDP and TCP) and waits until it answers.
     *
     * @return empty when it cannot bind that port (already in use), with the reason printed
     */
    static Optional<HostDnsmasq> start(String address, int port, List<String> records) throws IOException {
        if (!Files.isExecutable(BINARY)) {
            fail(BINARY + " not found: install Debian package dnsmasq-base");
        }
        List<String> command = new ArrayList<>(List.of(BINARY.toString(),
                "--keep-in-foreground", "--conf-file=/dev/null", "--pid-file=", "--no-resolv", "--no-hosts",
                "--listen-address=" + address, "--bind-interfaces", "--port=" + port, "--local-ttl=1",
                "--local=/test/", "--local=/consul/", "--log-facility=-",
                "--host-record=" + READY_NAME + ",127.0.0.1"));
        if (ProcessHandle.current().info().user().orElse("").equals("root")) {
            command.add("--user=root"); // else it switches to "nobody", which a minimal system may lack
        }
        command.addAll(records);
        Path log = Files.createTempFile("ambassadord-e2e-dnsmasq", ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        HostDnsmasq dnsmasq = new HostDnsmasq(process, log, address, port);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                System.out.println("dnsmasq on " + address + ":" + port + " did not start: " + dnsmasq.log());
                dnsmasq.close();
                return Optional.empty();
            }
            if (dnsmasq.answers()) {
                return Optional.of(dnsmasq);
            }
        }
        String output = dnsmasq.log();
        dnsmasq.close();
        return fail("dnsmasq on " + address + ":" + port + " did not answer within 10 s: " + output);
    }

    /** dnsmasq on a random port of {@code address}, trying another port when one is taken. */
    static HostDnsmasq onSomePort(String address, List<String> records) throws IOException {
        for (int attempt = 0; attempt < 5; attempt++) {
            Optional<HostDnsmasq> dns = start(address, ThreadLocalRandom.current().nextInt(20000, 30000), records);
            if (dns.isPresent()) {
                return dns.get();
            }
        }
        return fail("dnsmasq could not bind any of five random ports on " + address + " (see its output above)");
    }

    int port() {
        return port;
    }

    /** One A query for {@link #READY_NAME}, a reply with the same id within 200 ms. */
    private boolean answers() throws IOException {
        ByteArrayOutputStream query = new ByteArrayOutputStream();
        query.writeBytes(new byte[] {0x1d, 0x2e, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0}); // id, RD, one question
        for (String label : READY_NAME.split("\\.")) {
            query.write(label.length());
            query.writeBytes(label.getBytes(StandardCharsets.US_ASCII));
        }
        query.writeBytes(new byte[] {0, 0, 1, 0, 1}); // root, type A, class IN
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(200);
            byte[] bytes = query.toByteArray();
            socket.send(new DatagramPacket(bytes, bytes.length, new InetSocketAddress(InetAddress.getByName(address), port)));
            DatagramPacket reply = new DatagramPacket(new byte[512], 512);
            socket.receive(reply);
            return reply.getLength() >= 12 && reply.getData()[0] == 0x1d && reply.getData()[1] == 0x2e;
        } catch (SocketTimeoutException | PortUnreachableException notYet) {
            return false;
        }
    }

    String log() {
        try {
            return new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Files.deleteIfExists(log);
    }
}
