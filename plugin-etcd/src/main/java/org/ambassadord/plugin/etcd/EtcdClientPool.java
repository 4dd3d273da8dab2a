package org.ambassadord.plugin.etcd;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.BiFunction;

import io.etcd.jetcd.Client;
import org.tinylog.Logger;

/**
 * One jetcd client per etcd endpoint, however many specs watch through it: a jetcd client
 * carries a gRPC channel and its threads, and in omni mode many containers name keys on the
 * same cluster. Watchers {@linkplain #acquire acquire} and {@linkplain #release release};
 * the client is closed with its last holder.
 *
 * <p>A watcher that finds its client broken {@linkplain #release(Client, boolean) retires}
 * it: later acquires get a fresh client (whose channel connects at once instead of waiting
 * out gRPC's reconnect backoff), while holders still on the old one keep it until they
 * release it too. A client younger than {@link #MIN_RETIRE_INTERVAL_NANOS} is not retired,
 * so an outage costs at most one new client per endpoint every few seconds. Thread-safe.
 */
final class EtcdClientPool {

    /**
     * A client is retired at most this often per endpoint: while an endpoint is down every
     * watcher on it fails, and each retiring the client at once would build a new client (with
     * its own threads) per failure.
     */
    static final long MIN_RETIRE_INTERVAL_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(5);

    /** A client and how many watchers hold it. Guarded by the pool. */
    private static final class Shared {
        final HostPort endpoint;
        final Client client;
        final long createdNanos = System.nanoTime();
        int holders;

        Shared(HostPort endpoint, Client client) {
            this.endpoint = endpoint;
            this.client = client;
        }
    }

    private final BiFunction<HostPort, EtcdTimings, Client> connector;
    private final Map<HostPort, Shared> current = new HashMap<>();
    private final Map<Client, Shared> byClient = new IdentityHashMap<>();

    /** @param connector builds a client for one endpoint; does no I/O (jetcd connects lazily) */
    EtcdClientPool(BiFunction<HostPort, EtcdTimings, Client> connector) {
        this.connector = connector;
    }

    /** The endpoint's current client, built on first use. */
    synchronized Client acquire(HostPort endpoint, EtcdTimings timings) {
        Shared shared = current.get(endpoint);
        if (shared == null) {
            shared = new Shared(endpoint, connector.apply(endpoint, timings));
            current.put(endpoint, shared);
            byClient.put(shared.client, shared);
        }
        shared.holders++;
        return shared.client;
    }

    /**
     * Gives a client back; the last holder closes it.
     *
     * @param retire the holder found it broken: no later acquire gets it
     */
    void release(Client client, boolean retire) {
        Client toClose = null;
        synchronized (this) {
            Shared shared = byClient.get(client);
            if (shared == null) {
                return;
            }
            if (retire && System.nanoTime() - shared.createdNanos >= MIN_RETIRE_INTERVAL_NANOS) {
                current.remove(shared.endpoint, shared);
            }
            if (--shared.holders == 0) {
                byClient.remove(client);
                current.remove(shared.endpoint, shared);
                toClose = client;
            }
        }
        if (toClose != null) {
            try {
                toClose.close();
            } catch (RuntimeException e) {
                Logger.debug(e, "closing an etcd client");
            }
        }
    }

    /** Clients open now; for tests and diagnostics. */
    synchronized int openClients() {
        return byClient.size();
    }
}
