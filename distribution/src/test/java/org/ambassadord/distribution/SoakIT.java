package org.ambassadord.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * 9,000 connections held through the image for a while with traffic on a sample of them:
 * resident memory and open descriptors stay flat (nothing accumulates per event or per
 * timer tick), and every sampled exchange comes back intact.
 */
class SoakIT {

    private static final int CONNECTIONS = 9000;
    private static final int ROUNDS = 8;
    private static final long ROUND_MILLIS = 10_000;

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            try {
                toClose.get(i).close();
            } catch (IOException ignored) {
                // best effort
            }
        }
    }

    /** An asyncio echo server in its own process: the test JVM holds only the client sockets. */
    private int echoServer() throws Exception {
        int port = ImageProcess.freePort();
        Process process = new ProcessBuilder("python3", "-c", String.join("\n",
                "import asyncio, resource",
                "resource.setrlimit(resource.RLIMIT_NOFILE, (20000, 20000))",
                "async def echo(reader, writer):",
                "    while data := await reader.read(65536):",
                "        writer.write(data)",
                "        await writer.drain()",
                "    writer.close()",
                "async def main():",
                "    server = await asyncio.start_server(echo, '127.0.0.1', " + port + ", backlog=4096)",
                "    await server.serve_forever()",
                "asyncio.run(main())")).redirectErrorStream(true).start();
        toClose.add(process::destroyForcibly);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            try (Socket probe = new Socket("127.0.0.1", port)) {
                return port;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("the python3 echo server did not listen (install Debian package python3)");
    }

    private static long rssKiB(long pid) throws IOException {
        return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                .filter(line -> line.startsWith("VmRSS:"))
                .mapToLong(line -> Long.parseLong(line.replaceAll("\\D", "")))
                .findFirst().orElseThrow();
    }

    private static long openFiles(long pid) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return fds.count();
        }
    }

    @Test
    void nineThousandConnectionsStayFlat() throws Exception {
        int echo = echoServer();
        int port = ImageProcess.freePort();
        ImageProcess image = ImageProcess.start(Map.of(), "--port", String.valueOf(port), "--log-level", "warn",
                "127.0.0.1:" + echo);
        toClose.add(image);
        image.awaitListening(port);
        List<Socket> clients = new ArrayList<>(CONNECTIONS);
        for (int i = 0; i < CONNECTIONS; i++) {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(10_000);
            clients.add(socket);
            toClose.add(socket);
        }
        Random random = new Random(7);
        List<Long> rss = new ArrayList<>();
        List<Long> fds = new ArrayList<>();
        int exchanges = 0;
        for (int round = 0; round < ROUNDS; round++) {
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ROUND_MILLIS);
            while (System.nanoTime() < end) {
                Socket socket = clients.get(random.nextInt(CONNECTIONS));
                byte value = (byte) random.nextInt(256);
                socket.getOutputStream().write(value);
                assertEquals(value & 0xff, socket.getInputStream().read(), "exchange " + exchanges);
                exchanges++;
                Thread.sleep(2);
            }
            rss.add(rssKiB(image.pid()));
            fds.add(openFiles(image.pid()));
        }
        System.out.printf("soak: %d connections, %d exchanges over %d s; RSS KiB %s; fds %s%n", CONNECTIONS, exchanges,
                ROUNDS * ROUND_MILLIS / 1000, rss, fds);
        long settled = rss.get(1);
        long last = rss.get(rss.size() - 1);
        assertTrue(last <= settled * 1.10 + 4096, "RSS grew from " + settled + " to " + last + " KiB: " + rss);
        assertTrue(fds.stream().allMatch(count -> Math.abs(count - fds.get(0)) <= 16), "fds moved: " + fds);
        assertTrue(fds.get(0) >= 2L * CONNECTIONS, "fewer descriptors than connections: " + fds);
    }
}
