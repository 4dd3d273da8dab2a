package org.ambassadord.plugin.omni;

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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * A Docker engine that speaks API 1.52 (Engine 29) on a unix socket, with responses shaped
 * as moby's API changelog says: container inspect without the top-level
 * {@code NetworkSettings.IPAddress}, {@code Gateway}, {@code MacAddress} (only
 * {@code NetworkSettings.Networks}), events with only {@code Type}, {@code Action} and
 * {@code Actor} (no {@code status}, {@code id}, {@code from}), {@code /version} reporting
 * 1.52 with minimum 1.44. The test changes its containers and the engine sends the events a
 * real one would. One request per connection ({@code Connection: close}); every request
 * line is recorded.
 */
final class Api152Engine implements AutoCloseable {

    record Container(String id, String name, Map<String, String> networks, List<String> env) {
    }

    private final Path socket;
    private final ServerSocketChannel server;
    private final Map<String, Container> containers = new LinkedHashMap<>();
    private final List<OutputStream> eventStreams = new CopyOnWriteArrayList<>();
    private final List<SocketChannel> open = new CopyOnWriteArrayList<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();

    Api152Engine(Path socket) throws IOException {
        this.socket = socket;
        Files.deleteIfExists(socket);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Thread acceptor = new Thread(this::accept, "api152-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String dockerHost() {
        return "unix://" + socket;
    }

    List<String> requests() {
        return List.copyOf(requests);
    }

    /** A running container, known to listings from now on, with its {@code start} event. */
    synchronized void start(Container container) {
        containers.put(container.id(), container);
        event("container", "start", container.id(), Map.of("name", container.name(), "image", "busybox"));
    }

    /** A container that appears without an event (as while the stream is down). */
    synchronized void startQuietly(Container container) {
        containers.put(container.id(), container);
    }

    synchronized void die(String id) {
        Container gone = containers.remove(id);
        event("container", "die", id, Map.of("name", gone.name(), "exitCode", "137"));
    }

    /** {@code docker network connect}: the network's event names the container in its attributes. */
    synchronized void connect(String id, String network, String address) {
        Container container = containers.get(id);
        Map<String, String> networks = new LinkedHashMap<>(container.networks());
        networks.put(network, address);
        containers.put(id, new Container(id, container.name(), networks, container.env()));
        event("network", "connect", "net-" + network, Map.of("container", id, "name", network, "type", "bridge"));
    }

    /** Ends every open events stream, as a restarting engine or a dropped proxy would. */
    void severEvents() throws IOException {
        for (SocketChannel channel : open) {
            channel.close();
        }
        eventStreams.clear();
    }

    private void event(String type, String action, String actorId, Map<String, String> attributes) {
        long nanos = System.currentTimeMillis() * 1_000_000L;
        String json = "{\"Type\":\"" + type + "\",\"Action\":\"" + action + "\",\"Actor\":{\"ID\":\"" + actorId
                + "\",\"Attributes\":" + object(attributes) + "},\"scope\":\"local\",\"time\":" + nanos / 1_000_000_000L
                + ",\"timeNano\":" + nanos + "}\n";
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        for (OutputStream stream : eventStreams) {
            try {
                stream.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                stream.write(bytes);
                stream.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                stream.flush();
            } catch (IOException closed) {
                eventStreams.remove(stream);
            }
        }
    }

    private void accept() {
        while (server.isOpen()) {
            try {
                SocketChannel client = server.accept();
                open.add(client);
                Thread handler = new Thread(() -> serve(client), "api152-conn");
                handler.setDaemon(true);
                handler.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(SocketChannel client) {
        try {
            InputStream in = Channels.newInputStream(client);
            OutputStream out = Channels.newOutputStream(client);
            String requestLine = readHead(in);
            if (requestLine == null) {
                client.close();
                return;
            }
            requests.add(requestLine);
            String target = requestLine.split(" ")[1];
            String path = target.replaceFirst("^/v1\\.\\d+", "").replaceFirst("\\?.*", "");
            if (path.equals("/events")) {
                out.write(("HTTP/1.1 200 OK\r\nApi-Version: 1.52\r\nContent-Type: application/json\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                eventStreams.add(out);
                return; // stays open until severed or closed
            }
            String body;
            int status = 200;
            synchronized (this) {
                if (path.equals("/_ping")) {
                    body = "OK";
                } else if (path.equals("/version")) {
                    body = "{\"Version\":\"29.0.0\",\"ApiVersion\":\"1.52\",\"MinAPIVersion\":\"1.44\",\"Os\":\"linux\","
                            + "\"Arch\":\"amd64\"}";
                } else if (path.equals("/containers/json")) {
                    body = containers.values().stream().map(this::listed).collect(Collectors.joining(",", "[", "]"));
                } else if (path.matches("/containers/[^/]+/json") && containers.containsKey(path.split("/")[2])) {
                    body = inspected(containers.get(path.split("/")[2]));
                } else {
                    status = 404;
                    body = "{\"message\":\"No such container\"}";
                }
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            out.write(("HTTP/1.1 " + status + (status == 200 ? " OK" : " Not Found") + "\r\nApi-Version: 1.52\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + bytes.length + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            client.close();
        } catch (IOException e) {
            // the client went away
        }
    }

    /** {@code /containers/json}: names, labels, and addresses under Networks only. */
    private String listed(Container container) {
        return "{\"Id\":\"" + container.id() + "\",\"Names\":[\"/" + container.name() + "\"],\"Image\":\"busybox\","
                + "\"State\":\"running\",\"Labels\":{},\"NetworkSettings\":{\"Networks\":" + networks(container) + "}}";
    }

    /** {@code /containers/{id}/json} as API 1.52 returns it: no top-level IPAddress, Gateway, MacAddress. */
    private String inspected(Container container) {
        String env = container.env().stream().map(variable -> "\"" + variable + "\"").collect(Collectors.joining(",", "[", "]"));
        return "{\"Id\":\"" + container.id() + "\",\"Name\":\"/" + container.name() + "\",\"State\":{\"Status\":\"running\","
                + "\"Running\":true},\"Config\":{\"Env\":" + env + ",\"Labels\":{}},\"NetworkSettings\":{\"SandboxID\":\"s\","
                + "\"Networks\":" + networks(container) + "}}";
    }

    private static String networks(Container container) {
        List<String> entries = new ArrayList<>();
        container.networks().forEach((name, address) -> entries.add("\"" + name + "\":{\"NetworkID\":\"net-" + name
                + "\",\"IPAddress\":\"" + address + "\",\"IPPrefixLen\":24,\"Gateway\":\"" + address.replaceFirst("\\d+$", "1")
                + "\"}"));
        return "{" + String.join(",", entries) + "}";
    }

    private static String object(Map<String, String> attributes) {
        return attributes.entrySet().stream().map(entry -> "\"" + entry.getKey() + "\":\"" + entry.getValue() + "\"")
                .collect(Collectors.joining(",", "{", "}"));
    }

    /** The request line; the rest of the head is read and dropped (GET only, no body). */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        for (int b; (b = in.read()) >= 0; ) {
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
            if (matched == 4) {
                String text = head.toString(StandardCharsets.ISO_8859_1);
                return text.substring(0, text.indexOf("\r\n"));
            }
            if (head.size() > 65536) {
                return null;
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        server.close();
        severEvents();
        Files.deleteIfExists(socket);
    }
}
