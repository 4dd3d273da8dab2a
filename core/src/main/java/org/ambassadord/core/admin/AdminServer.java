package org.ambassadord.core.admin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.tinylog.Logger;

/**
 * The admin endpoint ({@code --admin}): {@code /metrics}, {@code /healthz}, {@code /readyz}
 * and {@code /status}, served by the JDK's HTTP server on one thread of its own. It only
 * reads what the relay publishes (summed counters, the observed backend), so a slow or busy
 * scraper can never slow the relay; scrapes queue behind each other instead.
 */
public final class AdminServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService thread;

    private AdminServer(HttpServer server, ExecutorService thread) {
        this.server = server;
        this.thread = thread;
    }

    /**
     * Binds and starts serving.
     *
     * @throws IOException when the address cannot be bound
     */
    public static AdminServer start(InetSocketAddress address, AdminSources sources) throws IOException {
        HttpServer server;
        try {
            server = HttpServer.create(address, 16);
        } catch (IOException e) {
            throw new IOException("--admin cannot listen on [" + address.getHostString() + ":" + address.getPort()
                    + "]: " + e.getMessage(), e);
        }
        HealthCheck health = new HealthCheck(sources);
        MetricsExposition metrics = new MetricsExposition(sources);
        StatusReport status = new StatusReport(sources, health);
        server.createContext("/metrics", exchange -> serve(exchange, () -> {
            ByteArrayOutputStream body = new ByteArrayOutputStream(16 * 1024);
            metrics.write(body);
            return new Response(200, metrics.contentType(), body.toByteArray());
        }));
        server.createContext("/healthz", exchange -> serve(exchange, () -> probe(health.unhealthy())));
        server.createContext("/readyz", exchange -> serve(exchange, () -> probe(health.notReady())));
        server.createContext("/status", exchange -> serve(exchange, () -> {
            ByteArrayOutputStream body = new ByteArrayOutputStream(4 * 1024);
            status.write(body);
            return new Response(200, "application/json", body.toByteArray());
        }));
        server.createContext("/", exchange -> serve(exchange, () -> text(404,
                "not found; try /metrics, /healthz, /readyz or /status\n")));
        ExecutorService thread = Executors.newSingleThreadExecutor(runnable -> {
            Thread admin = new Thread(runnable, "admin");
            admin.setDaemon(true);
            return admin;
        });
        server.setExecutor(thread);
        server.start();
        return new AdminServer(server, thread);
    }

    /** The bound address, with the actual port when 0 was asked for. */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    private record Response(int status, String contentType, byte[] body) {
    }

    /** Builds a response; may throw, which becomes a 500. */
    private interface Handler {
        Response respond() throws IOException;
    }

    private static Response probe(Optional<String> problem) {
        return problem.map(why -> text(503, why + "\n")).orElseGet(() -> text(200, "ok\n"));
    }

    private static Response text(int status, String body) {
        return new Response(status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
    }

    private static void serve(HttpExchange exchange, Handler handler) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            Response response;
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().add("Allow", "GET, HEAD");
                response = text(405, "only GET and HEAD\n");
            } else {
                try {
                    response = handler.respond();
                } catch (IOException | RuntimeException e) {
                    Logger.warn("admin endpoint {} failed: {}", exchange.getRequestURI().getPath(), e.toString());
                    response = text(500, "internal error\n");
                }
            }
            exchange.getResponseHeaders().add("Content-Type", response.contentType());
            boolean head = method.equals("HEAD");
            exchange.sendResponseHeaders(response.status(), head ? -1 : response.body().length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(response.body());
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        thread.shutdownNow();
    }
}
