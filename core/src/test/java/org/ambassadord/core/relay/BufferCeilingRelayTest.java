package org.ambassadord.core.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

import org.ambassadord.core.logging.RefusalLog;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Direct memory at its limit: the relay's buffers stop below it and the directions past the
 * ceiling wait, so every byte still arrives. Runs in its own JVM with
 * {@code -XX:MaxDirectMemorySize=8m} (surefire execution "direct-memory-ceiling"): 40 stalled
 * directions of 256 KiB would need 10 MiB (12 MiB per client, past what loopback's socket buffers absorb). Before the ceiling, allocations past the limit
 * threw OutOfMemoryError and those connections were closed with their bytes lost.
 */
@Tag("direct-memory-ceiling")
class BufferCeilingRelayTest {

    private static final int CLIENTS = 40;
    private static final int BYTES_EACH = 12 * 1024 * 1024;
    /** Small writes and reads keep the test's own temporary direct buffers small. */
    private static final int CHUNK = 8 * 1024;

    @Test
    void stalledDirectionsPastTheCeilingWaitAndLoseNothing() throws Exception {
        CountDownLatch startReading = new CountDownLatch(1);
        Map<Integer, long[]> received = new ConcurrentHashMap<>();
        ExecutorService threads = Executors.newCachedThreadPool();
        try (TestServers.Server backend = new TestServers.Server(socket -> readAfterLatch(socket, startReading, received));
             RelayServer relay = RelayServer.start(FixedBackend.of(backend.address()),
                     RelaySettings.defaults(List.of(0)).withBindAddress(InetAddress.getLoopbackAddress())
                             .withLoops(1).withSplice(false).withBufferSize(256 * 1024),
                     Optional.empty(), new RefusalLog())) {
            InetSocketAddress address = relay.listenAddresses().get(0);
            List<Future<?>> senders = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                int index = i;
                senders.add(threads.submit(() -> send(address, index)));
            }
            // Let every direction stall against the backend that does not read yet.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (relay.metrics().bufferWaits() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(relay.metrics().bufferWaits() > 0, "no direction waited at the ceiling");
            assertTrue(relay.metrics().heldByFlows() <= 24, "held " + relay.metrics().heldByFlows() + " > ceiling 24");
            startReading.countDown();
            for (Future<?> sender : senders) {
                sender.get(60, TimeUnit.SECONDS);
            }
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (received.values().stream().filter(r -> r[0] == BYTES_EACH).count() < CLIENTS
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            for (int i = 0; i < CLIENTS; i++) {
                long[] got = received.get(i);
                assertEquals(BYTES_EACH, got == null ? -1 : got[0], "bytes of client " + i);
                assertEquals(expectedCrc(i), got[1], "checksum of client " + i);
            }
            assertEquals(0, relay.metrics().failed());
        } finally {
            threads.shutdownNow();
        }
    }

    private static Object send(InetSocketAddress address, int index) throws IOException {
        try (Socket client = new Socket()) {
            client.connect(address, 5000);
            OutputStream out = client.getOutputStream();
            out.write(index);
            byte[] chunk = pattern(index);
            for (int sent = 0; sent < BYTES_EACH; sent += CHUNK) {
                out.write(chunk);
            }
            client.shutdownOutput();
            client.getInputStream().read();
        }
        return null;
    }

    private static void readAfterLatch(Socket socket, CountDownLatch startReading, Map<Integer, long[]> received) {
        try (socket) {
            startReading.await();
            InputStream in = socket.getInputStream();
            int index = in.read();
            byte[] chunk = new byte[CHUNK];
            CRC32 crc = new CRC32();
            long total = 0;
            for (int read; (read = in.read(chunk)) > 0; ) {
                crc.update(chunk, 0, read);
                total += read;
            }
            received.put(index, new long[] {total, crc.getValue()});
        } catch (IOException | InterruptedException e) {
            // the assertion on received reports it
        }
    }

    private static byte[] pattern(int index) {
        byte[] chunk = new byte[CHUNK];
        for (int i = 0; i < CHUNK; i++) {
            chunk[i] = (byte) (i * 31 + index);
        }
        return chunk;
    }

    private static long expectedCrc(int index) {
        CRC32 crc = new CRC32();
        byte[] chunk = pattern(index);
        for (int sent = 0; sent < BYTES_EACH; sent += CHUNK) {
            crc.update(chunk);
        }
        return crc.getValue();
    }
}
