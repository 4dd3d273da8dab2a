package org.ambassadord.spi;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * A source of endpoints for client connections: the opened form of one backend spec.
 *
 * <p>The relay asks {@link #resolve(ClientConnection)} once per accepted connection and
 * tries the returned endpoints in turn until one accepts the TCP connection.
 *
 * <p><b>Threads.</b> {@link #resolve} is called on the event loops, several of them at once
 * (one per core), so an implementation is thread-safe. {@link #close()} is called once the
 * relay no longer needs the backend — at shutdown on the shutdown thread (given about a second
 * before the process exits), in omni mode on a background thread when no container names the
 * spec any more — and may race a {@link #resolve} already under way on a loop: after
 * {@code close} a backend answers with a failed stage (or its last answer), never throws,
 * never blocks. The other methods may be called from any thread and must not block.
 */
public interface Backend extends AutoCloseable {

    /**
     * The endpoints for one client connection, most preferred first.
     *
     * <p><b>Threading.</b> Called on an event loop thread, which also serves hundreds of
     * other connections: the method must return at once and must not block, resolve host
     * names, or do any other I/O. A backend answers from data it keeps fresh in the
     * background (see {@link ProviderContext#scheduler()}) and returns a completed stage, or
     * returns an incomplete stage that it completes later from another thread.
     *
     * <p>The addresses must be resolved ({@link InetSocketAddress#isUnresolved()} false). An
     * empty list, or a stage completed exceptionally, refuses the client connection; the
     * exception's message is logged with both addresses, so it should say why.
     *
     * @param connection the accepted client connection
     */
    CompletionStage<List<InetSocketAddress>> resolve(ClientConnection connection);

    /**
     * The TCP ports the proxy listens on for this backend when the user gives no
     * {@code --port}: the destination port for a static backend, every link port in links
     * mode, {@code 10000} for discovered backends.
     */
    Set<Integer> listenPorts();

    /**
     * Whether {@link #resolve} returns the endpoints in a meaningful order (such as RFC 2782
     * priority and weight) that the relay must keep. When {@code false} (the default) the
     * relay spreads connections over the endpoints by its {@code --balance} policy.
     */
    default boolean ordersEndpoints() {
        return false;
    }

    /**
     * Whether {@link ClientConnection#originalDestination()} must be filled in for
     * {@link #resolve}: true in omni mode, where the port a client dialled before an
     * iptables REDIRECT selects its backend. The relay then asks the installed
     * {@link OriginalDestinationLookup}.
     */
    default boolean needsOriginalDestination() {
        return false;
    }

    /**
     * Whether the backend has its first answer: the store was read, the names resolved, the
     * engine listed — whatever it needs before {@link #resolve} can name endpoints without
     * waiting. The admin endpoint's {@code /readyz} reports it. Any thread; must not block.
     * The default, for backends with nothing to wait for, is {@code true}.
     */
    default boolean isReady() {
        return true;
    }

    /**
     * The weight of one of the endpoints this backend answered with, for the relay's balancing
     * ({@code --balance random} picks by weight, {@code round-robin} is nginx's smooth weighted
     * round-robin): a Consul instance's {@code Weights.Passing}, say. 0 means the endpoint takes
     * no new connections. Called on the event loop for every endpoint of every connection, so it
     * must answer from memory (the latest answer's weights) and never block. Not asked when
     * {@link #ordersEndpoints()} is true: such a backend orders by weight itself (SRV). The
     * default, 1 for every endpoint, balances evenly.
     *
     * @since 0.3 (a default method: existing backends need no change)
     */
    default int weightOf(java.net.InetSocketAddress endpoint) {
        return 1;
    }

    /**
     * What the backend knows of one of its endpoints, for {@code ambassadord --check}: a Consul
     * instance's id, node, health, weight and tags, say (untrusted text is escaped by the
     * caller). Any thread; must not block. The default says nothing.
     *
     * @since 0.3 (a default method: existing backends need no change)
     */
    default String describeEndpoint(java.net.InetSocketAddress endpoint) {
        return "";
    }

    /**
     * One line on where the current endpoints came from — an etcd revision, a Consul index,
     * a DNS answer's TTL, the Docker engine's state — for the admin endpoint's
     * {@code /status}. Any thread; must not block. The default says nothing.
     */
    default String describeState() {
        return "";
    }

    /**
     * Counts the backend keeps of its own, for the admin endpoint's {@code /metrics}, where
     * each becomes the counter {@code ambassadord_<name>_total}. Names are fixed by the
     * backend (lowercase letters and underscores; others are ignored), so their number stays
     * bounded. Any thread; must not block. The default has none.
     */
    default Map<String, Long> counters() {
        return Map.of();
    }

    /**
     * The address a named client connects from, for {@code ambassadord --check --container NAME}:
     * in omni mode the named container's address (or id prefix), so that the check can ask
     * {@link #resolve} exactly as that container's connection would. Empty when the backend
     * does not know clients by name (the default) or knows none of that name. May wait for
     * the backend's first answer (it is called from the command line, never from a loop).
     *
     * @since 0.2 (a default method: existing backends need no change)
     */
    default java.util.Optional<java.net.InetAddress> addressOfClient(String name) {
        return java.util.Optional.empty();
    }

    /**
     * Who a client is, for its access log line (omni mode: its container's name); empty when
     * the backend cannot tell. Called on an event loop when a connection closes: answer from
     * memory, never block.
     */
    default String describeClient(ClientConnection connection) {
        return "";
    }

    /**
     * Whether this connection's endpoints are to be reached over TLS, when that is the client's
     * to say rather than the operator's: omni mode answers from the container's
     * {@code BACKEND_<port>_TLS}. Empty (the default): the operator's {@code --upstream-tls}
     * decides. Called on the event loop after {@link #resolve} answered; must not block.
     *
     * @since 0.4 (a default method: existing backends need no change)
     */
    default java.util.Optional<Boolean> upstreamTls(ClientConnection connection) {
        return java.util.Optional.empty();
    }

    /**
     * Stops background work and releases resources. Idempotent. Called once the relay no
     * longer uses the backend (at shutdown, or when omni mode drops a nested spec).
     */
    @Override
    void close();
}
