package org.ambassadord.plugin.omni;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Unix socket that relays to another Unix socket (the Docker engine's), so a test can
 * cut every connection through it — the events stream included — and refuse new ones for a
 * while, as an engine restart would.
 */
final class UnixSocketProxy implements AutoCloseable {

    private final ServerSocketChannel server;
    private final Path target;
    private final Path path;
    private final List<SocketChannel> open = new CopyOnWriteArrayList<>();
    private volatile boolean refusing;

    UnixSocketProxy(Path path, Path target) throws IOException {
        this.path = path;
        this.target = target;
        Files.deleteIfExists(path);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(path));
        Thread acceptor = new Thread(this::accept, "unix-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    Path path() {
        return path;
    }

    /** Closes every relayed connection now. */
    void severAll() {
        for (SocketChannel channel : open) {
            closeQuietly(channel);
        }
        open.clear();
    }

    /** While refusing, new connections are closed as soon as they are accepted. */
    void setRefusing(boolean refusing) {
        this.refusing = refusing;
    }

    private void accept() {
        while (server.isOpen()) {
            try {
                SocketChannel client = server.accept();
                if (refusing) {
                    closeQuietly(client);
                    continue;
                }
                SocketChannel upstream = SocketChannel.open(UnixDomainSocketAddress.of(target));
                open.add(client);
                open.add(upstream);
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException e) {
                if (!server.isOpen()) {
                    return;
                }
            }
        }
    }

    private void pump(SocketChannel from, SocketChannel to) {
        Thread thread = new Thread(() -> {
            ByteBuffer buffer = ByteBuffer.allocate(16384);
            try {
                while (from.read(buffer) >= 0) {
                    buffer.flip();
                    while (buffer.hasRemaining()) {
                        to.write(buffer);
                    }
                    buffer.clear();
                }
            } catch (IOException e) {
                // severed
            }
            closeQuietly(from);
            closeQuietly(to);
        }, "unix-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        severAll();
        Files.deleteIfExists(path);
    }
}
