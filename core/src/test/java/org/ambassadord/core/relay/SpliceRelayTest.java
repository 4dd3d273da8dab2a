package org.ambassadord.core.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.ambassadord.core.relay.stats.RelayMetrics;

/**
 * The relay suite on the splice path, plus what only pipes can get wrong. Runs on Linux, where
 * splice is the default: if jffi cannot load here, the suite fails (see the log for why).
 */
class SpliceRelayTest extends RelayTestSuite {

    @Override
    boolean splice() {
        return true;
    }

    /**
     * A connection that dies with bytes still in its pipe must not hand them to the next
     * connection: the pipe is closed, not pooled. One loop, so the next connection draws from
     * the same pool.
     */
    @Test
    void pipeWithLeftoverBytesIsClosedNotReused() throws Exception {
        CountDownLatch stalledAccepted = new CountDownLatch(1);
        CompletableFuture<Socket> stalledBackend = new CompletableFuture<>();
        CompletableFuture<byte[]> nextReceived = new CompletableFuture<>();
        TestServers.Server backend = server(socket -> {
            if (stalledAccepted.getCount() > 0) {
                stalledAccepted.countDown();
                stalledBackend.complete(socket); // never reads
            } else {
                try (socket) {
                    nextReceived.complete(socket.getInputStream().readAllBytes());
                } catch (IOException e) {
                    nextReceived.completeExceptionally(e);
                }
            }
        });
        RelayServer relay = relay(FixedBackend.of(backend.address()), settings(InetAddress.getLoopbackAddress()).withLoops(1));
        Socket stalled = connect(relay);
        toClose.add(stalled);
        Thread writer = new Thread(() -> {
            byte[] junk = new byte[64 * 1024];
            java.util.Arrays.fill(junk, (byte) 'J');
            try {
                OutputStream out = stalled.getOutputStream();
                while (true) {
                    out.write(junk);
                }
            } catch (IOException expected) {
                // the relay closed the connection
            }
        });
        writer.setDaemon(true);
        writer.start();
        awaitStalled(relay);
        int pipesBefore = openPipeDescriptors();

        // The backend resets: the relay's write to it fails while the pipe holds bytes.
        Socket backendSide = stalledBackend.get(10, TimeUnit.SECONDS);
        backendSide.setSoLinger(true, 0);
        backendSide.close();
        awaitCount(() -> relay.metrics().heldByFlows(), 0);
        awaitCount(() -> relay.stats().active(), 0);
        assertEquals(pipesBefore - 2, openPipeDescriptors(), "the pipe with leftovers was closed");

        try (Socket next = connect(relay)) {
            next.getOutputStream().write("fresh".getBytes(StandardCharsets.US_ASCII));
            next.shutdownOutput();
            assertArrayEquals("fresh".getBytes(StandardCharsets.US_ASCII), nextReceived.get(10, TimeUnit.SECONDS),
                    "the next connection's backend sees its bytes only");
        }
    }

    /**
     * Waits until one direction holds a pipe and no byte has moved for a while. While bytes
     * still flow the gauge flickers between 0 and 1 (a pipe is taken and emptied within one
     * event), so one reading of 1 does not mean the backend has stopped taking bytes.
     */
    private static void awaitStalled(RelayServer relay) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long spliced = -1;
        int stillReadings = 0;
        while (stillReadings < 30 && System.nanoTime() < deadline) {
            RelayMetrics now = relay.metrics();
            boolean still = now.heldByFlows() == 1 && now.bytesSpliced() == spliced;
            stillReadings = still ? stillReadings + 1 : 0;
            spliced = now.bytesSpliced();
            Thread.sleep(10);
        }
        RelayMetrics last = relay.metrics();
        assertEquals(30, stillReadings, "one direction stalled with bytes in its pipe (held "
                + last.heldByFlows() + ", spliced " + last.bytesSpliced() + ")");
    }

    /** Request and reply of a few bytes, 5,000 times: the pattern of keep-alive traffic. */
    @Test
    void manySmallExchangesKeepTheirOrder() throws Exception {
        TestServers.Server backend = server(socket -> {
            try (socket) {
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream();
                byte[] message = new byte[8];
                while (in.readNBytes(message, 0, 8) == 8) {
                    out.write(message);
                }
            } catch (IOException ignored) {
                // the test fails on the client side
            }
        });
        RelayServer relay = relay(FixedBackend.of(backend.address()));
        try (Socket client = connect(relay)) {
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            for (int i = 0; i < 5_000; i++) {
                byte[] message = String.format("%08d", i).getBytes(StandardCharsets.US_ASCII);
                out.write(message);
                assertArrayEquals(message, in.readNBytes(8), "reply " + i);
            }
        }
        awaitCount(() -> relay.metrics().heldByFlows(), 0);
        assertEquals(0, relay.metrics().bytesSpliced(), "short messages are copied, not spliced");
    }

    /** Bulk data goes through pipes: the copy is only for the first buffer of a burst. */
    @Test
    void bulkIsSpliced() throws Exception {
        long length = 32L << 20;
        TestServers.Server backend = server(socket -> {
            try (socket) {
                socket.getInputStream().transferTo(OutputStream.nullOutputStream());
            } catch (IOException ignored) {
                // the test fails on the client side
            }
        });
        RelayServer relay = relay(FixedBackend.of(backend.address()));
        try (Socket client = connect(relay)) {
            TestServers.sendRandom(client.getOutputStream(), 5, length);
            client.shutdownOutput();
            assertEquals(-1, client.getInputStream().read());
        }
        long spliced = relay.metrics().bytesSpliced();
        assertTrue(spliced > length * 3 / 4, "spliced " + spliced + " of " + length);
    }

    private static int openPipeDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return (int) fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().startsWith("pipe:");
                } catch (IOException gone) {
                    return false;
                }
            }).count();
        }
    }
}
