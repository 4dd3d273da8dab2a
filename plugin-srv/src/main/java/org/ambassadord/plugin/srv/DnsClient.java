package org.ambassadord.plugin.srv;

import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import org.ambassadord.plugin.srv.SrvSpec.DnsServer;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;

/**
 * Sends single DNS queries without blocking a thread: dnsjava's {@code sendAsync} waits for
 * the answer on its own selector thread and completes on the given executor.
 *
 * <p>The dnsjava {@link Resolver} is made on the first query, on the calling background
 * thread, because making it does I/O: the default reads {@code /etc/resolv.conf}, and a
 * {@code ?dns=} host name must be resolved. A failure to make it fails that query only; the
 * next query tries again.
 */
final class DnsClient implements DnsQueries {

    /** Per server and attempt; dnsjava retries over TCP by itself when an answer is truncated. */
    static final Duration QUERY_TIMEOUT = Duration.ofSeconds(3);

    private final Optional<DnsServer> server;
    private final Executor executor;
    private Resolver resolver; // guarded by this

    /**
     * @param server   the {@code ?dns=} server, or empty for the system's resolvers
     * @param executor completes the returned futures; a background executor
     */
    DnsClient(Optional<DnsServer> server, Executor executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Asks for the records of one name and type. Called on a background thread (the first
     * call may block briefly, see the class comment).
     *
     * @return the server's response whatever its rcode; completed exceptionally on time-out,
     *         network error, or when the resolver cannot be made
     */
    @Override
    public CompletableFuture<Message> query(Name name, int type) {
        Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
        try {
            return resolver().sendAsync(query, executor).toCompletableFuture();
        } catch (UnknownHostException e) {
            return CompletableFuture.failedFuture(new DnsLookupException(
                    "cannot resolve the DNS server [" + server.map(DnsServer::host).orElse("?") + "]"));
        }
    }

    /** Where queries go, for messages. */
    @Override
    public String describeServer() {
        return server.map(DnsServer::toString).orElse("the system's resolvers");
    }

    private synchronized Resolver resolver() throws UnknownHostException {
        if (resolver == null) {
            Resolver made;
            if (server.isPresent()) {
                InetSocketAddress address = new InetSocketAddress(server.get().host(), server.get().port());
                if (address.isUnresolved()) {
                    throw new UnknownHostException(server.get().host());
                }
                made = new SimpleResolver(address);
            } else {
                made = new ExtendedResolver();
            }
            made.setTimeout(QUERY_TIMEOUT);
            resolver = made;
        }
        return resolver;
    }
}
