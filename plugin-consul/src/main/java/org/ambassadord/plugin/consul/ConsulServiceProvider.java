package org.ambassadord.plugin.consul;

import org.ambassadord.spi.Backend;
import org.ambassadord.spi.BackendProvider;
import org.ambassadord.spi.BackendSpecException;
import org.ambassadord.spi.ProviderContext;

/**
 * The {@code consul-service} scheme: backends are the healthy instances of a service in
 * Consul's catalog, {@code consul-service://host:8500/web?tag=v2}, followed with blocking
 * queries on the health endpoint, each instance with its registered weight. Same credentials,
 * TLS and agent rules as {@code consul://}. Found by {@link java.util.ServiceLoader}; the
 * constructor does no I/O.
 */
public final class ConsulServiceProvider implements BackendProvider {

    private final ConsulBackend.Timing timing;
    private final ConsulHttpClients clients = new ConsulHttpClients();
    private final ConsulCredentials credentials = new ConsulCredentials();

    /** The provider with production timing; used by {@link java.util.ServiceLoader}. */
    public ConsulServiceProvider() {
        this(ConsulBackend.Timing.DEFAULT);
    }

    /** A provider with other delays, for tests. */
    ConsulServiceProvider(ConsulBackend.Timing timing) {
        this.timing = timing;
    }

    @Override
    public String scheme() {
        return ServiceSpec.SCHEME;
    }

    @Override
    public String description() {
        return "consul-service://host[:8500]/service[?tag=&dc=&near=&node-meta=k:v&health=passing|warning|any&filter=&wait=&stale]"
                + " - the service's healthy instances from Consul's catalog, with their weights; token and TLS as consul://";
    }

    /** Parses the spec and starts the watcher thread; does not wait for Consul. */
    @Override
    public Backend open(String spec, ProviderContext context) throws BackendSpecException {
        ServiceSpec parsed = ServiceSpec.parse(spec);
        ConsulCredentials.ForAgent credentials = this.credentials.forAgent(parsed.agent(), context);
        return new ServiceBackend(parsed, credentials.token(), credentials.tls(), context, timing, clients);
    }
}
