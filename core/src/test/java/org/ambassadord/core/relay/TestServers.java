package org.ambassadord.core.relay;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/** Blocking loopback servers and byte streams for relay tests. */
final class TestServers {

    private TestServers() {
    }

    /** A server that runs {@code handler} on its own thread for each accepted socket. */
    static final class Server implements AutoCloseable {
        private final ServerSocket socket;
        private final ExecutorService threads = Executors.newCachedThreadPool(daemon());
        private final List<Socket> accepted = new CopyOnWriteArrayList<>();

        Server(InetAddress address, Consumer<Socket> handler) throws IOException {
            this(address, 0, handler);
        }

        /** On a given port (0: any free one). */
        Server(InetAddress address, int port, Consumer<Socket> handler) throws IOException {
            socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(address, port), 512);
            threads.execute(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket client = socket.accept();
                        accepted.add(client);
                        threads.execute(() -> handler.accept(client));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        Server(Consumer<Socket> handler) throws IOException {
            this(InetAddress.getLoopbackAddress(), handler);
        }

        InetSocketAddress address() {
            return (InetSocketAddress) socket.getLocalSocketAddress();
        }

        int acceptedCount() {
            return accepted.size();
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket client : accepted) {
                client.close();
            }
            threads.shutdownNow();
        }
    }

    /**
     * A listener whose accept queue is full and is never accepted from: Linux drops further
     * SYNs, so connects to it hang until their timeout, as to a host that vanished.
     */
    static final class BlackHole implements AutoCloseable {
        private final ServerSocket listener;
        private final List<Socket> fillers = new java.util.ArrayList<>();

        private BlackHole(ServerSocket listener) {
            this.listener = listener;
        }

        static BlackHole open() throws IOException {
            BlackHole hole = new BlackHole(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
            for (int i = 0; i < 4; i++) {
                Socket filler = new Socket();
                hole.fillers.add(filler);
                try {
                    filler.connect(hole.listener.getLocalSocketAddress(), 200);
                } catch (IOException queueFull) {
                    break;
                }
            }
            return hole;
        }

        InetSocketAddress address() {
            return (InetSocketAddress) listener.getLocalSocketAddress();
        }

        @Override
        public void close() throws IOException {
            for (Socket filler : fillers) {
                filler.close();
            }
            listener.close();
        }
    }

    /** An address where nothing listens: a port that was bound and released. */
    /** Connects, sends nothing, and reads until the relay closes: what the backend said ("" when refused). */
    static String exchange(RelayServer relay) throws IOException {
        try (Socket client = new Socket()) {
            client.connect(relay.listenAddresses().get(0), 2000);
            client.setSoTimeout(5000);
            return new String(client.getInputStream().readAllBytes());
        }
    }

    static InetSocketAddress deadAddress() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return (InetSocketAddress) socket.getLocalSocketAddress();
        }
    }

    static java.util.concurrent.ThreadFactory daemon() {
        return runnable -> {
            Thread thread = new Thread(runnable, "test-io");
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Writes {@code length} pseudo-random bytes from {@code seed} and returns their SHA-256. */
    static String sendRandom(OutputStream out, long seed, long length) throws IOException {
        Random random = new Random(seed);
        MessageDigest digest = sha256();
        byte[] chunk = new byte[32 * 1024];
        long left = length;
        while (left > 0) {
            int size = (int) Math.min(chunk.length, left);
            random.nextBytes(chunk);
            out.write(chunk, 0, size);
            digest.update(chunk, 0, size);
            left -= size;
        }
        out.flush();
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Reads to end of stream; returns the SHA-256 and the byte count. */
    static Received receiveAll(InputStream in) throws IOException {
        MessageDigest digest = sha256();
        byte[] chunk = new byte[64 * 1024];
        long total = 0;
        int read;
        while ((read = in.read(chunk)) != -1) {
            digest.update(chunk, 0, read);
            total += read;
        }
        return new Received(HexFormat.of().formatHex(digest.digest()), total);
    }

    record Received(String sha256, long bytes) {
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
