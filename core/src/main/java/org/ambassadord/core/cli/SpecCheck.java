package org.ambassadord.core.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.ambassadord.core.logging.LogText;
import org.ambassadord.spi.Backend;
import org.ambassadord.spi.ClientConnection;
import org.ambassadord.core.relay.socket.Addresses;

/**
 * {@code --check SPEC}: what a connection would get right now, without listening. The spec is
 * opened exactly as a run opens it (same providers, policy and credentials); the first answer
 * is awaited (at most {@code --resolve-timeout}); the endpoints are printed in the order the
 * backend gives them, with the backend's own account of where they came from (etcd key and
 * revision, Consul key and index, SRV answer and TTL, static names), and each is tried with a
 * TCP connect (at most {@code --connect-timeout}) unless {@code --no-connect}. As
 * {@code haproxy -c} and {@code nginx -t}: exit 0 when at least one endpoint accepts (or, with
 * {@code --no-connect}, when there is an answer), 1 otherwise.
 */
final class SpecCheck {

    static final int ACCEPTED = 0;
    static final int NOTHING_ACCEPTS = 1;

    private final PrintStream out;
    private final Duration resolveTimeout;
    private final Duration connectTimeout;
    private final boolean connect;
    /** With {@code --upstream-tls}: each endpoint that accepts is also asked for its handshake. */
    private final java.util.Optional<org.ambassadord.core.tls.UpstreamTls> upstreamTls;

    SpecCheck(PrintStream out, Duration resolveTimeout, Duration connectTimeout, boolean connect,
              java.util.Optional<org.ambassadord.core.tls.UpstreamTls> upstreamTls) {
        this.upstreamTls = upstreamTls;
        this.out = out;
        this.resolveTimeout = resolveTimeout;
        this.connectTimeout = connectTimeout;
        this.connect = connect;
    }

    /** A connection to {@code port} from the ambassador itself: what standard mode resolves. */
    static ClientConnection localConnection(int port) {
        InetSocketAddress local = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        return ClientConnection.of(local, local);
    }

    /** Checks an opened backend as {@code connection} would see it; closes nothing. */
    int run(String spec, String provider, Backend backend, ClientConnection connection) throws InterruptedException {
        out.printf("spec       %s%n", LogText.escape(spec));
        out.printf("provider   %s%n", provider);
        long started = System.nanoTime();
        List<InetSocketAddress> endpoints;
        try {
            endpoints = backend.resolve(connection).toCompletableFuture()
                    .get(resolveTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            state(backend);
            out.printf("answer     refused after %d ms: %s%n", millis(started), LogText.escape(reason(e.getCause())));
            return NOTHING_ACCEPTS;
        } catch (TimeoutException e) {
            state(backend);
            out.printf("answer     none within %d ms (--resolve-timeout)%n", resolveTimeout.toMillis());
            return NOTHING_ACCEPTS;
        }
        state(backend);
        out.printf("answer     %d endpoint(s) after %d ms, %s%n", endpoints.size(), millis(started),
                backend.ordersEndpoints() ? "tried in this order" : "spread by --balance, tried in turn on failure");
        int accepting = 0;
        for (int i = 0; i < endpoints.size(); i++) {
            InetSocketAddress endpoint = endpoints.get(i);
            String verdict = connect ? tryConnect(endpoint) : "not tried (--no-connect)";
            if (verdict.startsWith("accepts")) {
                accepting++;
            }
            String known = backend.describeEndpoint(endpoint);
            int weight = backend.weightOf(endpoint);
            out.printf("  %2d. %-40s %s%s%s%n", i + 1, Addresses.format(endpoint), verdict,
                    weight == 1 ? "" : "; weight " + weight, known.isBlank() ? "" : "; " + LogText.escape(known));
        }
        if (!connect) {
            return endpoints.isEmpty() ? NOTHING_ACCEPTS : ACCEPTED;
        }
        out.printf("result     %d of %d endpoint(s) accept%n", accepting, endpoints.size());
        return accepting > 0 ? ACCEPTED : NOTHING_ACCEPTS;
    }

    private void state(Backend backend) {
        String state = backend.describeState();
        if (!state.isBlank()) {
            out.printf("state      %s%n", LogText.escape(state));
        }
    }

    private String tryConnect(InetSocketAddress endpoint) {
        long started = System.nanoTime();
        try (Socket socket = new Socket()) {
            socket.connect(endpoint, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
            String accepts = "accepts (" + String.format("%.1f", (System.nanoTime() - started) / 1e6) + " ms)";
            if (upstreamTls.isEmpty()) {
                return accepts;
            }
            String tls = upstreamTls.get().probe(socket, endpoint);
            // An endpoint whose handshake fails serves no connection: it does not count as accepting.
            return tls.startsWith("TLS ok") ? accepts + "; " + tls : "connects, but " + tls;
        } catch (IOException e) {
            return "does not accept: " + reason(e);
        }
    }

    private static String reason(Throwable error) {
        String message = error.getMessage();
        return message == null || message.isBlank() ? error.getClass().getSimpleName() : message.replaceAll("\\s+", " ");
    }

    private static long millis(long started) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    }
}
