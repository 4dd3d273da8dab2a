package org.ambassadord.plugin.consul;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

import org.ambassadord.spi.Backend;
import org.ambassadord.spi.ClientConnection;
import org.ambassadord.spi.ProviderContext;
import org.tinylog.Logger;

/**
 * The backends found under one Consul KV path, kept fresh by a {@link KvWatcher} on the
 * backend's own daemon thread (a blocking query holds its thread for minutes, which the
 * shared scheduler must not lend).
 *
 * <p><b>Threading.</b> {@link #resolve} is called on the event loop and answers from the
 * {@link EndpointCache}; {@link #close()} may be called from any thread but the event loop.
 */
final class ConsulBackend implements Backend {

    /** The seed's port for discovered backends. */
    static final int LISTEN_PORT = 10000;

    private final ConsulSpec spec;
    private final EndpointCache cache;
    private final WatchThread watch;
    private final ConsulCounters counters = new ConsulCounters();

    /**
     * Starts watching at once; does not wait for Consul to answer.
     *
     * @param spec    the parsed spec
     * @param token   the ACL token, when {@code CONSUL_HTTP_TOKEN} is set
     * @param tls     HTTPS, when {@code CONSUL_HTTP_SSL} asks for it
     * @param context supplies the scheduler for first-read timeouts, and the rules the agent's
     *                addresses are held to (a container's spec may name any agent)
     * @param timing  the first-read timeout and the backoff bounds
     * @param clients the provider's HTTP clients, one per agent
     */
    ConsulBackend(ConsulSpec spec, Optional<String> token, Optional<ConsulTls> tls, ProviderContext context, Timing timing,
                  ConsulHttpClients clients) {
        this.spec = spec;
        ConsulKvReader reader = new ConsulKvReader(spec, token, tls, clients, new AgentAddressCheck(spec.agent(), context));
        this.cache = new EndpointCache(spec.describe(), context.scheduler(), timing.firstReadTimeout());
        KvWatcher watcher = new KvWatcher(spec, reader, new EndpointResolver(), cache,
                new Backoff(timing.initialBackoff(), timing.maxBackoff()), counters);
        this.watch = new WatchThread("consul-watch " + spec.agent() + "/" + spec.key(), watcher, reader, cache);
    }

    /**
     * The delays of a backend.
     *
     * @param firstReadTimeout how long a connection waits for the very first read
     * @param initialBackoff   the first delay after a failed read
     * @param maxBackoff       the longest delay between failed reads
     */
    record Timing(Duration firstReadTimeout, Duration initialBackoff, Duration maxBackoff) {
        /** The production values. */
        static final Timing DEFAULT = new Timing(Duration.ofSeconds(5), Duration.ofMillis(250), Duration.ofSeconds(5));
    }

    @Override
    public CompletionStage<List<InetSocketAddress>> resolve(ClientConnection connection) {
        return cache.resolve();
    }

    @Override
    public Set<Integer> listenPorts() {
        return Set.of(LISTEN_PORT);
    }

    @Override
    public String describeState() {
        EndpointSnapshot snapshot = cache.current();
        return snapshot == null ? "Consul has not answered yet"
                : snapshot.description() + " at X-Consul-Index " + snapshot.index();
    }

    /** Values and answers refused for their size or form. */
    @Override
    public java.util.Map<String, Long> counters() {
        return counters.snapshot();
    }

    /** Once Consul has answered the first read. */
    @Override
    public boolean isReady() {
        return cache.current() != null;
    }

    /** The latest set, or {@code null} before the first read; for tests and diagnostics. */
    EndpointSnapshot snapshot() {
        return cache.current();
    }

    /** Why the last read failed, or {@code null}; for tests and diagnostics. */
    String lastFailure() {
        return cache.lastFailure();
    }

    /** The watcher thread, so that tests can check it ends. */
    Thread watcherThread() {
        return watch.thread();
    }

    @Override
    public void close() {
        watch.close();
        Logger.debug("closed {}", spec.describe());
    }
}
