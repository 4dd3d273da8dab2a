package org.ambassadord.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.ambassadord.spi.testkit.FreePorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Faults against the jlink image as a real process: what the reliability promises of
 * docs/RELIABILITY.md say, each case bounded in time.
 */
class FaultIT {

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "fault-it");
        thread.setDaemon(true);
        return thread;
    });

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        threads.shutdownNow();
    }

    /** Echoes everything it reads, then closes. */
    private InetSocketAddress echoServer() throws IOException {
        ServerSocket server = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
        toClose.add(server);
        threads.execute(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    threads.execute(() -> {
                        try (socket) {
                            socket.getInputStream().transferTo(socket.getOutputStream());
                        } catch (IOException ignored) {
                            // the test reads what arrived
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    private ImageProcess image(List<String> wrapper, Map<String, String> environment, int port, String... args)
            throws Exception {
        List<String> all = new ArrayList<>(List.of("--port", String.valueOf(port)));
        all.addAll(List.of(args));
        ImageProcess image = ImageProcess.start(wrapper, environment, all.toArray(String[]::new));
        toClose.add(image);
        image.awaitListening(port);
        return image;
    }

    /** Sends {@code bytes} random bytes, half-closes, reads the echo; returns whether it matched. */
    private static boolean echoExactly(int port, int bytes, long seed) throws Exception {
        return echoExactly(port, bytes, seed, new java.util.concurrent.CountDownLatch(1), 0);
    }

    /** The same, counting {@code connected} down once connected. */
    /**
     * The same, counting {@code connected} down once connected, and reading only after
     * {@code readDelayMillis} (meanwhile both directions stall and hold pipes).
     */
    private static boolean echoExactly(int port, int bytes, long seed, java.util.concurrent.CountDownLatch connected,
                                       long readDelayMillis) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            connected.countDown();
            socket.setSoTimeout(60_000);
            byte[] payload = new byte[bytes];
            new Random(seed).nextBytes(payload);
            Thread writer = new Thread(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    out.write(payload);
                    socket.shutdownOutput();
                } catch (IOException ignored) {
                    // the read side reports the mismatch
                }
            });
            writer.start();
            Thread.sleep(readDelayMillis);
            byte[] echoed = socket.getInputStream().readAllBytes();
            writer.join();
            return MessageDigest.isEqual(sha256(payload), sha256(echoed));
        }
    }

    private static byte[] sha256(byte[] bytes) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(bytes);
    }

    /**
     * EMFILE on pipe creation (prlimit leaves room for the sockets, not for pipes): before,
     * a connection whose pipe could not be opened was dropped; now it copies instead.
     */
    @Test
    void noPipeToBeHadMeansCopyingNotDropping() throws Exception {
        InetSocketAddress echo = echoServer();
        int port = ImageProcess.freePort();
        // About 20 descriptors at rest, 16 for the sockets: room for 4 of the 16 pipes wanted.
        ImageProcess image = image(List.of("prlimit", "--nofile=44:44"), Map.of(), port,
                "--loops", "1", "127.0.0.1:" + echo.getPort());
        List<Future<Boolean>> transfers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            long seed = i;
            // Clients read late: every direction stalls and wants a pipe at once.
            // 16 MiB: more than loopback's socket buffers hold, so the directions do stall.
            transfers.add(threads.submit(() -> echoExactly(port, 16 * 1024 * 1024, seed,
                    new java.util.concurrent.CountDownLatch(1), 2000)));
        }
        int exact = 0;
        for (Future<Boolean> transfer : transfers) {
            exact += transfer.get(120, TimeUnit.SECONDS) ? 1 : 0;
        }
        String log = image.log();
        assertEquals(8, exact, log);
        assertTrue(log.contains("no pipe could be opened"), "the limit should have denied pipes:\n" + log);
    }

    /** A backend that dies mid-stream: the client sees the end at once, no hang. */
    @Test
    void aBackendKilledMidStreamClosesTheClientAtOnce() throws Exception {
        ServerSocket backend = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        toClose.add(backend);
        // Every connection (the start-up probe's too) gets 256 KiB and then a reset: a crash.
        threads.execute(() -> {
            while (!backend.isClosed()) {
                try (Socket socket = backend.accept()) {
                    socket.getOutputStream().write(new byte[256 * 1024]);
                    socket.setSoLinger(true, 0);
                } catch (IOException ignored) {
                    // the probe went away, or the reset itself
                }
            }
        });
        int port = ImageProcess.freePort();
        ImageProcess image = image(List.of(), Map.of(), port, "--log-level", "debug", "127.0.0.1:" + backend.getLocalPort());
        try (Socket client = new Socket("127.0.0.1", port)) {
            client.setSoTimeout(10_000);
            long start = System.nanoTime();
            InputStream in = client.getInputStream();
            long read = 0;
            try {
                byte[] buffer = new byte[65536];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    read += n;
                }
            } catch (IOException reset) {
                // a reset is an end too
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(millis < 5000, "the client waited " + millis + " ms for the end, read " + read + "\n" + image.log());
            assertTrue(read <= 256 * 1024, "read " + read);
        }
    }

    /**
     * Direct memory exhausted (2 MiB, buffer path, 40 clients pushing into a backend that never
     * reads): before, both loops died and every new connection hung; now the connections that
     * could not get a buffer are closed and new ones are served.
     */
    @Test
    void exhaustedDirectMemoryNeverLeavesAZombieListener() throws Exception {
        ServerSocket sink = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
        toClose.add(sink);
        List<Socket> held = new ArrayList<>();
        threads.execute(() -> {
            while (!sink.isClosed()) {
                try {
                    held.add(sink.accept());
                } catch (IOException e) {
                    return;
                }
            }
        });
        int port = ImageProcess.freePort();
        ImageProcess image = image(List.of(), Map.of("JAVA_OPTS", "-XX:MaxDirectMemorySize=2m"), port,
                "--no-splice", "127.0.0.1:" + sink.getLocalPort());
        for (int i = 0; i < 40; i++) {
            threads.execute(() -> {
                try (Socket client = new Socket("127.0.0.1", port)) {
                    client.getOutputStream().write(new byte[8 * 1024 * 1024]);
                } catch (IOException ignored) {
                    // closed by the relay, or blocked until the test ends
                }
            });
        }
        Thread.sleep(3000);
        // The relay still serves: a new connection is accepted and relayed to the sink.
        int before = held.size();
        try (Socket probe = new Socket()) {
            probe.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            probe.getOutputStream().write(1);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (held.size() <= before && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        }
        assertTrue(held.size() > before, "no new connection reached the backend:\n" + image.log());
        // The buffer pools stop below the limit: stalled directions wait, none fails.
        assertFalse(image.log().contains("OutOfMemoryError"), image.log());
        for (Socket socket : held) {
            socket.close();
        }
    }

    /** A backend process that answers every connection with its name; listen backlog 1. */
    private Process namedBackend(String name, int port) throws Exception {
        Process process = new ProcessBuilder("python3", "-c", String.join("\n",
                "import socket",
                "s = socket.socket()",
                "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)",
                "s.bind(('127.0.0.1', " + port + "))",
                "s.listen(1)",
                "while True:",
                "    c, _ = s.accept()",
                "    c.sendall(b'" + name + "')",
                "    c.close()")).redirectErrorStream(true).start();
        toClose.add(process::destroyForcibly);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Socket probe = new Socket("127.0.0.1", port)) {
                return process;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("python3 backend did not listen (install Debian package python3)");
    }

    /** Waits until the process is in state T (stopped), as /proc shows it. */
    private static void awaitStopped(Process process) throws Exception {
        Path stat = Path.of("/proc", String.valueOf(process.pid()), "stat");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            String line = Files.readString(stat);
            // "pid (comm) state ...": comm may hold spaces and parentheses, the state follows the last ')'.
            if (line.charAt(line.lastIndexOf(')') + 2) == 'T') {
                return;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("process " + process.pid() + " did not stop after SIGSTOP");
    }

    private static String reply(int port) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            return new String(socket.getInputStream().readAllBytes());
        }
    }

    /**
     * A backend SIGSTOPped: its full backlog turns connects into timeouts, it is ejected and
     * skipped (clients served by the other one without waiting), and after SIGCONT it serves
     * again once its ejection is over.
     */
    @Test
    void aStoppedBackendIsEjectedAndComesBackAfterSigcont() throws Exception {
        int[] ports = FreePorts.distinct(4);
        int stoppedPort = ports[0];
        int livePort = ports[1];
        Process stopped = namedBackend("stopped", stoppedPort);
        namedBackend("live", livePort);
        int port = ports[2];
        int admin = ports[3];
        image(List.of(), Map.of(), port, "--connect-timeout", "300ms", "--balance", "round-robin",
                "--admin", "127.0.0.1:" + admin, "127.0.0.1:" + stoppedPort + ",127.0.0.1:" + livePort);
        new ProcessBuilder("kill", "-STOP", String.valueOf(stopped.pid())).start().waitFor();
        // kill returns once the signal is sent; the backend may still take one more connection
        // from its queue (the one awaitListening's probe made the relay open) before it stops.
        awaitStopped(stopped);
        // Fill the stopped backend's accept queue, so that the relay's connects hang: connect
        // until the kernel drops a SYN. Whatever is queued already (that probe) counts.
        boolean full = false;
        for (int i = 0; i < 10 && !full; i++) {
            Socket filler = new Socket();
            toClose.add(filler);
            try {
                filler.connect(new InetSocketAddress("127.0.0.1", stoppedPort), 200);
            } catch (IOException dropped) {
                full = true;
            }
        }
        assertTrue(full, "the stopped backend's accept queue (backlog 1) never filled");
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            long start = System.nanoTime();
            assertEquals("live", reply(port), "connection " + i);
            millis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        }
        String metrics = AdminClient.get("http://127.0.0.1:" + admin + "/metrics");
        assertTrue(metrics.contains("ambassadord_endpoints_ejected 1.0"), metrics);
        assertTrue(millis.subList(6, 10).stream().allMatch(m -> m < 250), "ejected: no more waiting " + millis);

        new ProcessBuilder("kill", "-CONT", String.valueOf(stopped.pid())).start().waitFor();
        for (Socket filler : toClose.stream().filter(Socket.class::isInstance).map(Socket.class::cast).toList()) {
            filler.close();
        }
        // The first ejection lasts 5 s; after it the stopped backend is tried, and serves.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        boolean servedAgain = false;
        while (!servedAgain && System.nanoTime() < deadline) {
            servedAgain = reply(port).equals("stopped");
            Thread.sleep(100);
        }
        assertTrue(servedAgain, "the continued backend never served again");
        System.out.printf("SIGSTOPped backend: first connections %s ms, ejected, back after SIGCONT%n", millis);
    }

    /** SIGTERM with transfers in flight: every one completes byte-exact within the drain. */
    @Test
    void sigtermDuringTransfersDrainsThemExactly() throws Exception {
        InetSocketAddress echo = echoServer();
        int port = ImageProcess.freePort();
        ImageProcess image = image(List.of(), Map.of(), port, "127.0.0.1:" + echo.getPort());
        List<Future<Boolean>> transfers = new ArrayList<>();
        java.util.concurrent.CountDownLatch connected = new java.util.concurrent.CountDownLatch(50);
        for (int i = 0; i < 50; i++) {
            long seed = 100 + i;
            transfers.add(threads.submit(() -> echoExactly(port, 4 * 1024 * 1024, seed, connected, 0)));
        }
        assertTrue(connected.await(30, TimeUnit.SECONDS), "the clients could not connect");
        Thread.sleep(100);
        long start = System.nanoTime();
        int status = image.terminate();
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        int exact = 0;
        for (Future<Boolean> transfer : transfers) {
            exact += transfer.get(60, TimeUnit.SECONDS) ? 1 : 0;
        }
        assertEquals(50, exact, image.log());
        assertEquals(143, status);
        assertTrue(millis < 9000, "stop took " + millis + " ms");
        System.out.printf("SIGTERM with 50 x 4 MiB echo transfers in flight: 50 byte-exact, exit %d after %d ms%n",
                status, millis);
    }
}
