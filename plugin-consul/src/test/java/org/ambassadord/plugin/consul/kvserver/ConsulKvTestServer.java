package org.ambassadord.plugin.consul.kvserver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import com.sun.net.httpserver.HttpServer;

/**
 * A Consul KV HTTP server for tests, on {@code 127.0.0.1} (or another local address) and a free port, built on the JDK's
 * {@code com.sun.net.httpserver}. No Consul package is reachable from this build; this
 * server follows Consul's documented KV API and blocking-query behaviour closely enough to
 * test a client against it (see {@link KvStore} and {@link KvHandler} for the rules, and
 * {@code ConsulKvTestServerTest} for the proof).
 *
 * <p>Besides the API, tests can: require an ACL token ({@link #requireToken}); force the
 * index backwards ({@code store().restoreSnapshot(...)}); stop the server, which closes its
 * listener and every open connection, and start it again on the same port with the same
 * data ({@link #stop()}, {@link #restart()}); and see every request ({@link #requests()}).
 *
 * <p>Thread-safe.
 */
public final class ConsulKvTestServer implements AutoCloseable {

    private final KvStore store = new KvStore();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final InetAddress bindAddress;
    /** Chosen by the first start; later starts reuse it. */
    private volatile int port;
    private volatile String requiredToken;
    private volatile Long forcedIndex;
    private volatile Incarnation running;

    /** One start of the HTTP server; a restart makes a new one on the same port. */
    private record Incarnation(HttpServer http, ExecutorService handlers, AtomicBoolean stopped) {
    }

    private ConsulKvTestServer(InetAddress bindAddress) {
        this.bindAddress = bindAddress;
    }

    /** Starts a server on a free port of {@code 127.0.0.1}. */
    public static ConsulKvTestServer start() throws IOException {
        return start(InetAddress.getLoopbackAddress());
    }

    /** Starts a server on a free port of the given local address, such as {@code ::1}. */
    public static ConsulKvTestServer start(InetAddress bindAddress) throws IOException {
        ConsulKvTestServer server = new ConsulKvTestServer(bindAddress);
        server.listen(0);
        return server;
    }

    private synchronized void listen(int requestedPort) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(bindAddress, requestedPort), 64);
        ExecutorService handlers = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "consul-kv-test-server");
            thread.setDaemon(true);
            return thread;
        });
        AtomicBoolean stopped = new AtomicBoolean();
        http.createContext("/", new KvHandler(store, this, stopped::get));
        http.setExecutor(handlers);
        http.start();
        running = new Incarnation(http, handlers, stopped);
        port = http.getAddress().getPort();
    }

    /** The HTTP port; it stays the same across {@link #restart()}. */
    public int port() {
        return port;
    }

    /** {@code 127.0.0.1:port} or {@code [::1]:port}, as a spec's authority. */
    public String address() {
        String host = bindAddress.getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** The datacenter this server is; {@code ?dc=} naming another one fails. */
    public String datacenter() {
        return "dc1";
    }

    /** The data, for direct inspection and for {@link KvStore#restoreSnapshot}. */
    public KvStore store() {
        return store;
    }

    /** Requires this ACL token on every request from now on; {@code null} turns ACLs off. */
    public void requireToken(String token) {
        requiredToken = token;
    }

    /**
     * Sends this {@code X-Consul-Index} on every read instead of the real one ({@code null}
     * to stop), to reproduce the Consul bugs the documentation warns of: an index of 0, or
     * one that never moves while queries return at once. Blocking still uses the real index.
     */
    public void forceReportedIndex(Long index) {
        forcedIndex = index;
    }

    long reportedIndex(long real) {
        Long forced = forcedIndex;
        return forced == null ? real : forced;
    }

    /** Every request received so far, oldest first. */
    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    void record(RecordedRequest request) {
        requests.add(request);
    }

    /** {@code null} when the token may pass, else Consul's 403 message. */
    String checkToken(String token) {
        String required = requiredToken;
        if (required == null || required.equals(token)) {
            return null;
        }
        return token == null || token.isEmpty() ? "Permission denied" : "ACL not found";
    }

    /** Whether the server is listening. */
    public boolean isRunning() {
        Incarnation current = running;
        return current != null && !current.stopped().get();
    }

    /**
     * Stops listening and closes every connection, as a Consul agent that died would; blocked
     * queries end without an answer. The data stays for {@link #restart()}.
     */
    public synchronized void stop() {
        Incarnation current = running;
        if (current == null || current.stopped().getAndSet(true)) {
            return;
        }
        current.http().stop(0);
        current.handlers().shutdownNow();
        store.wakeAll();
    }

    /** Listens again on the same port, with the same data. */
    public synchronized void restart() {
        if (isRunning()) {
            return;
        }
        try {
            listen(port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on port [" + port + "] again", e);
        }
    }

    @Override
    public void close() {
        stop();
    }
}
