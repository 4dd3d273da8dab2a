package org.ambassadord.plugin.consul.kvserver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

/**
 * Serves {@code /v1/kv/} like Consul's {@code agent/kvs_endpoint.go}: GET (single key,
 * {@code ?recurse}, {@code ?keys} with {@code ?separator}, {@code ?raw}, blocking with
 * {@code ?index} and {@code ?wait}), PUT ({@code ?flags}, {@code ?cas}) and DELETE
 * ({@code ?recurse}, {@code ?cas}); ACL token checks; {@code ?dc} other than the server's
 * own answers 500 "No path to datacenter".
 *
 * <p>Called on the server's handler threads; a blocking GET holds its thread.
 */
final class KvHandler implements HttpHandler {

    private static final String PREFIX = "/v1/kv/";

    private final KvStore store;
    private final ConsulKvTestServer server;
    private final BooleanSupplier abandoned;

    KvHandler(KvStore store, ConsulKvTestServer server, BooleanSupplier abandoned) {
        this.store = store;
        this.server = server;
        this.abandoned = abandoned;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            serve(exchange);
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        try {
            String path = exchange.getRequestURI().getPath();
            QueryOptions query = QueryOptions.parse(exchange.getRequestURI().getRawQuery());
            String headerToken = exchange.getRequestHeaders().getFirst("X-Consul-Token");
            server.record(new RecordedRequest(exchange.getRequestMethod(), path, query.asMap(), headerToken, System.nanoTime()));
            if (!path.startsWith(PREFIX)) {
                send(exchange, 404, "text/plain", "no such endpoint");
                return;
            }
            String tokenError = server.checkToken(headerToken != null ? headerToken : query.get("token"));
            if (tokenError != null) {
                send(exchange, 403, "text/plain", tokenError);
                return;
            }
            String dc = query.get("dc");
            if (dc != null && !dc.equals(server.datacenter())) {
                send(exchange, 500, "text/plain", "No path to datacenter");
                return;
            }
            String key = path.substring(PREFIX.length());
            switch (exchange.getRequestMethod()) {
                case "GET" -> get(exchange, key, query);
                case "PUT" -> put(exchange, key, query);
                case "DELETE" -> delete(exchange, key, query);
                default -> send(exchange, 405, "text/plain", "method not allowed");
            }
        } catch (QueryOptions.BadRequest e) {
            send(exchange, 400, "text/plain", e.getMessage());
        } catch (InterruptedException e) {
            // The server is stopping; its connections are already closed.
            Thread.currentThread().interrupt();
        }
    }

    private void get(HttpExchange exchange, String key, QueryOptions query) throws QueryOptions.BadRequest, IOException,
            InterruptedException {
        boolean prefix = query.has("recurse") || query.has("keys");
        if (key.isEmpty() && !prefix) {
            throw new QueryOptions.BadRequest("Missing key name");
        }
        long minIndex = query.index();
        long waitNanos = QueryOptions.withJitter(query.waitTime()).toNanos();
        KvStore.Result result = prefix
                ? store.await(() -> store.list(key), () -> store.prefixWatch(key), minIndex, waitNanos, abandoned)
                : store.await(() -> store.get(key), () -> store.keyWatch(key), minIndex, waitNanos, abandoned);
        exchange.getResponseHeaders().set("X-Consul-Index", Long.toString(server.reportedIndex(result.index())));
        exchange.getResponseHeaders().set("X-Consul-Knownleader", "true");
        exchange.getResponseHeaders().set("X-Consul-Lastcontact", "0");
        if (result.entries().isEmpty()) {
            exchange.sendResponseHeaders(404, -1);
        } else if (query.has("keys")) {
            send(exchange, 200, "application/json", KvJson.keys(keys(key, result.entries(), query.get("separator"))));
        } else if (query.has("raw") && !query.has("recurse")) {
            byte[] value = result.entries().get(0).value();
            send(exchange, 200, "application/octet-stream", value == null ? new byte[0] : value);
        } else {
            send(exchange, 200, "application/json", KvJson.entries(result.entries()));
        }
    }

    /** Key names, rolled up to the first separator after the prefix, as Consul's {@code ?keys&separator=}. */
    private static List<String> keys(String prefix, List<KvEntry> entries, String separator) {
        Set<String> keys = new LinkedHashSet<>();
        for (KvEntry entry : entries) {
            String name = entry.key();
            int cut = separator == null || separator.isEmpty() ? -1 : name.indexOf(separator, prefix.length());
            keys.add(cut < 0 ? name : name.substring(0, cut + separator.length()));
        }
        return new ArrayList<>(keys);
    }

    private void put(HttpExchange exchange, String key, QueryOptions query) throws QueryOptions.BadRequest, IOException {
        if (key.isEmpty()) {
            throw new QueryOptions.BadRequest("Missing key name");
        }
        if (query.has("acquire") || query.has("release")) {
            throw new QueryOptions.BadRequest("sessions are not supported by this test server");
        }
        long flags = query.unsigned("flags", "Invalid flags", 0L);
        Long cas = query.unsigned("cas", "Invalid cas", null);
        byte[] body = exchange.getRequestBody().readAllBytes();
        send(exchange, 200, "application/json", Boolean.toString(store.put(key, body, flags, cas)));
    }

    private void delete(HttpExchange exchange, String key, QueryOptions query) throws QueryOptions.BadRequest,
            IOException {
        boolean recurse = query.has("recurse");
        if (key.isEmpty() && !recurse) {
            throw new QueryOptions.BadRequest("Missing key name");
        }
        Long cas = query.unsigned("cas", "Invalid cas", null);
        send(exchange, 200, "application/json", Boolean.toString(store.delete(key, recurse, cas)));
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        send(exchange, status, type, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }
}
