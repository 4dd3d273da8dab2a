package org.ambassadord.distribution.docker;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.ambassadord.spi.testkit.ConsulAgent;
import org.junit.jupiter.api.Test;

/**
 * What a store hands back is untrusted: a Consul or etcd value with a newline and a terminal
 * escape in it reaches the log of the shipped image as one line with the controls made
 * visible, never as a second, forged entry (issue 21). Real Consul and etcd, the image's
 * launcher, its default log format.
 */
class HostileValuesIT {

    private static final String FORGED = "2026-12-03 08:00:00.000 INFO  [main] FORGED entry";
    private static final String HOSTILE = "10.0.0.1:80\n" + FORGED + "\u001b[2J";

    @Test
    void aConsulValueCannotForgeALogLine() throws Exception {
        try (ConsulAgent consul = ConsulAgent.start()) {
            consul.put("hostile/web/a", HOSTILE);
            assertOneLine(logOf("consul://" + consul.address() + "/hostile/web"));
        }
    }

    @Test
    void anEtcdValueCannotForgeALogLine() throws Exception {
        try (HostEtcd etcd = HostEtcd.start("127.0.0.1")) {
            etcd.put("/hostile/web/a", HOSTILE);
            assertOneLine(logOf("etcd://" + etcd.endpoint() + "/hostile/web"));
        }
    }

    private static void assertOneLine(String log) {
        assertTrue(log.contains("FORGED entry"), "the hostile value was never logged:\n" + log);
        assertTrue(log.lines().noneMatch(line -> line.startsWith("2026-12-03 08:00:00.000") || line.contains("\u001b")),
                "a store value forged a log line or reached the terminal:\n" + log);
        assertTrue(log.contains("FORGED entry\\u001b[2J"), "controls are not shown as escapes:\n" + log);
    }

    /** Runs the image's relay on the spec until it has logged the store's answer, then stops it. */
    private static String logOf(String spec) throws IOException, InterruptedException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Path log = Files.createTempFile("hostile-values", ".log");
        Process relay = new ProcessBuilder(Path.of(System.getProperty("ambassadord.image"), "bin", "ambassadord").toString(),
                "--port", String.valueOf(port), spec)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline && !Files.readString(log).contains("FORGED entry") && relay.isAlive()) {
                Thread.sleep(100);
            }
            return Files.readString(log);
        } finally {
            relay.destroy();
            if (!relay.waitFor(30, TimeUnit.SECONDS)) {
                relay.destroyForcibly();
            }
            Files.deleteIfExists(log);
        }
    }
}
