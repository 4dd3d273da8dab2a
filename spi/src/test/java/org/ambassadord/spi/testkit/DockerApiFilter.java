package org.ambassadord.spi.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * A least-privilege Docker socket for omni mode, as an operator would run one (the pattern of
 * docker-socket-proxy): a Unix socket that passes only {@code GET}/{@code HEAD} of the
 * read-only endpoints omni uses — {@code /_ping}, {@code /version}, {@code /containers/json},
 * {@code /containers/{id}/json}, {@code /events}, optionally under {@code /v1.NN} — to the
 * engine, and answers everything else {@code 403} without the engine ever seeing it.
 *
 * <p>Each request is checked on its own: the proxy forwards one request per client
 * connection with {@code Connection: close}, so a client cannot send a second, unchecked
 * request over a connection whose first request was allowed. Mounting the engine's socket
 * {@code :ro} gives none of this: a read-only bind mount still lets a process connect and
 * send {@code POST /containers/create}.
 */
public final class DockerApiFilter implements AutoCloseable {

    private static final Pattern ALLOWED_PATH = Pattern.compile(
            "(/v\\d+\\.\\d+)?/(_ping|version|containers/json|containers/[A-Za-z0-9][A-Za-z0-9_.-]*/json|events)(\\?.*)?");
    private static final int MAX_HEAD = 64 * 1024;

    private final ServerSocketChannel server;
    private final Path path;
    private final Path engine;
    private final List<String> refused = new CopyOnWriteArrayList<>();
    private final List<String> passed = new CopyOnWriteArrayList<>();
    private final List<SocketChannel> open = new CopyOnWriteArrayList<>();

    /**
     * @param path   where to create the filtered socket
     * @param engine the engine's socket, e.g. {@code /var/run/docker.sock}
     */
    public DockerApiFilter(Path path, Path engine) throws IOException {
        this.path = path;
        this.engine = engine;
        Files.deleteIfExists(path);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(path));
        Thread acceptor = new Thread(this::accept, "docker-api-filter");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The filtered socket, as a {@code DOCKER_HOST} value: {@code unix:///…}. */
    public String dockerHost() {
        return "unix://" + path;
    }

    public Path path() {
        return path;
    }

    /** Request lines answered 403, in order. */
    public List<String> refused() {
        return List.copyOf(refused);
    }

    /** Request lines passed to the engine, in order. */
    public List<String> passed() {
        return List.copyOf(passed);
    }

    /** Whether a request line's method and path are on the allow list. */
    public static boolean allows(String method, String target) {
        return (method.equals("GET") || method.equals("HEAD")) && ALLOWED_PATH.matcher(target).matches();
    }

    private void accept() {
        while (server.isOpen()) {
            try {
                SocketChannel client = server.accept();
                open.add(client);
                Thread handler = new Thread(() -> serve(client), "docker-api-filter-conn");
                handler.setDaemon(true);
                handler.start();
            } catch (IOException e) {
                if (!server.isOpen()) {
                    return;
                }
            }
        }
    }

    private void serve(SocketChannel client) {
        try (client) {
            InputStream in = Channels.newInputStream(client);
            OutputStream out = Channels.newOutputStream(client);
            String head = readHead(in);
            if (head == null) {
                return;
            }
            String requestLine = head.substring(0, head.indexOf("\r\n"));
            String[] parts = requestLine.split(" ");
            if (parts.length != 3 || !allows(parts[0], parts[1])) {
                refused.add(requestLine);
                // Read the body first: closing with unread input would reset the connection
                // before the client reads the 403.
                in.skipNBytes(Math.min(contentLength(head), MAX_HEAD));
                byte[] body = ("{\"message\":\"refused by the Docker API filter: " + requestLine.replace("\"", "'")
                        + "\"}").getBytes(StandardCharsets.UTF_8);
                out.write(("HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
                return;
            }
            passed.add(requestLine);
            try (SocketChannel upstream = SocketChannel.open(UnixDomainSocketAddress.of(engine))) {
                open.add(upstream);
                Channels.newOutputStream(upstream).write(withConnectionClose(head).getBytes(StandardCharsets.ISO_8859_1));
                // GET and HEAD carry no body: the response is all that is left to relay.
                Channels.newInputStream(upstream).transferTo(out);
            }
        } catch (IOException e) {
            // the client or the engine went away
        }
    }

    /** The head up to and including the blank line, or null at end of stream / oversize. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0 || head.size() >= MAX_HEAD) {
                return null;
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static long contentLength(String head) {
        for (String line : head.split("\r\n")) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:") && lower.substring(15).strip().matches("\\d{1,9}")) {
                return Long.parseLong(lower.substring(15).strip());
            }
        }
        return 0;
    }

    private static String withConnectionClose(String head) {
        StringBuilder rewritten = new StringBuilder();
        for (String line : head.split("\r\n")) {
            if (!line.toLowerCase(Locale.ROOT).startsWith("connection:") && !line.isEmpty()) {
                rewritten.append(line).append("\r\n");
            }
        }
        return rewritten.append("Connection: close\r\n\r\n").toString();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (SocketChannel channel : open) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
        Files.deleteIfExists(path);
    }
}
