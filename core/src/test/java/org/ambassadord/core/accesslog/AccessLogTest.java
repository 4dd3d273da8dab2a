package org.ambassadord.core.accesslog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.ambassadord.core.logging.RefusalLog;
import org.ambassadord.spi.Backend;
import org.ambassadord.spi.ClientConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ambassadord.core.relay.RelayServer;
import org.ambassadord.core.relay.RelaySettings;

/** The access log behind a real relay: figures that match the traffic, JSON that parses, no stall. */
class AccessLogTest {

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private static Backend fixed(List<InetSocketAddress> endpoints) {
        return new Backend() {
            @Override
            public CompletionStage<List<InetSocketAddress>> resolve(ClientConnection connection) {
                return CompletableFuture.completedFuture(endpoints);
            }

            @Override
            public Set<Integer> listenPorts() {
                return Set.of(0);
            }

            @Override
            public boolean ordersEndpoints() {
                return true;
            }

            @Override
            public String describeClient(ClientConnection connection) {
                return "web-1";
            }

            @Override
            public void close() {
            }
        };
    }

    /** Reads everything, answers with twice as many bytes. */
    private InetSocketAddress doublingServer() throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        toClose.add(server);
        Thread thread = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket socket = server.accept()) {
                    byte[] in = socket.getInputStream().readAllBytes();
                    socket.getOutputStream().write(in);
                    socket.getOutputStream().write(in);
                } catch (IOException e) {
                    return;
                }
            }
        });
        thread.setDaemon(true);
        thread.start();
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    private RelayServer relay(Backend backend, AccessLog log) throws IOException {
        RelayServer relay = RelayServer.start(backend, RelaySettings.defaults(List.of(0))
                .withBindAddress(InetAddress.getLoopbackAddress()).withLoops(1).withConnectTimeout(Duration.ofSeconds(2)),
                Optional.empty(), new RefusalLog(), log);
        toClose.add(relay);
        return relay;
    }

    private static int exchange(RelayServer relay, int bytes) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(relay.listenAddresses().get(0), 2000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(new byte[bytes]);
            socket.shutdownOutput();
            return socket.getInputStream().readAllBytes().length;
        }
    }

    private static List<String> awaitLines(Path file, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        List<String> lines = Files.exists(file) ? Files.readAllLines(file) : List.of();
        while (lines.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
            lines = Files.exists(file) ? Files.readAllLines(file) : List.of();
        }
        return lines;
    }

    @Test
    void jsonLinesMatchTheTraffic(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("access.json");
        QueuedAccessLog log = new QueuedAccessLog(AccessFormat.JSON, "static://test", QueuedAccessLog.Destination.file(file), "test");
        toClose.add(log);
        InetSocketAddress dead;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            dead = (InetSocketAddress) probe.getLocalSocketAddress();
        }
        InetSocketAddress live = doublingServer();
        RelayServer relay = relay(fixed(List.of(dead, live)), log);
        for (int i = 1; i <= 3; i++) {
            assertEquals(2 * 1000 * i, exchange(relay, 1000 * i));
        }
        List<String> lines = awaitLines(file, 3);
        assertEquals(3, lines.size(), String.join("\n", lines));
        JsonFactory json = new JsonFactory();
        long up = 0;
        long down = 0;
        for (String line : lines) {
            try (JsonParser parser = json.createParser(line)) {
                assertEquals(JsonToken.START_OBJECT, parser.nextToken());
                java.util.Map<String, String> fields = new java.util.HashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    parser.nextToken();
                    fields.put(name, parser.getText());
                }
                assertEquals("static://test", fields.get("spec"));
                assertEquals("web-1", fields.get("client_name"));
                assertEquals("127.0.0.1:" + live.getPort(), fields.get("endpoint"));
                assertEquals("2", fields.get("attempts"), "the dead endpoint, then the live one");
                assertEquals("closed", fields.get("outcome"));
                assertEquals(String.valueOf(relay.listenAddresses().get(0).getPort()), fields.get("listener_port"));
                up += Long.parseLong(fields.get("bytes_client_to_backend"));
                down += Long.parseLong(fields.get("bytes_backend_to_client"));
            }
        }
        assertEquals(6000, up);
        assertEquals(12000, down);
    }

    @Test
    void textLinesNameRefusalsWithTheirReason(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("access.log");
        QueuedAccessLog log = new QueuedAccessLog(AccessFormat.TEXT, "static://none", QueuedAccessLog.Destination.file(file), "test");
        toClose.add(log);
        RelayServer relay = relay(fixed(List.of()), log);
        assertEquals(0, exchange(relay, 0));
        List<String> lines = awaitLines(file, 1);
        assertEquals(1, lines.size());
        assertTrue(lines.get(0).contains(" static://none - attempts=0 up=0 down=0 "), lines.get(0));
        assertTrue(lines.get(0).endsWith("refused: the backend has no endpoints"), lines.get(0));
    }

    /** A FIFO nobody reads: opening it blocks the writer, never the relay; records drop and count. */
    @Test
    void aWriterThatCannotWriteNeverStallsTheRelay(@TempDir Path directory) throws Exception {
        Path fifo = directory.resolve("nobody-reads");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertEquals(0, mkfifo.waitFor(), "mkfifo (coreutils) failed");
        QueuedAccessLog log = new QueuedAccessLog(AccessFormat.TEXT, "static://x", QueuedAccessLog.Destination.file(fifo), "fifo");
        InetSocketAddress live = doublingServer();
        RelayServer relay = relay(fixed(List.of(live)), log);
        int connections = QueuedAccessLog.CAPACITY + 200;
        long start = System.nanoTime();
        for (int i = 0; i < connections; i++) {
            assertEquals(2, exchange(relay, 1));
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (relay.metrics().active() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(connections, relay.metrics().closed());
        assertEquals(connections - QueuedAccessLog.CAPACITY, log.dropped(), "served in " + millis + " ms");
        // Unblock the writer's open() so that its thread can end.
        try (var reader = Files.newInputStream(fifo)) {
            log.close();
        }
    }
}
