package org.ambassadord.plugin.consul;

import org.ambassadord.spi.Backend;
import org.ambassadord.spi.BackendProvider;
import org.ambassadord.spi.BackendSpecException;
import org.ambassadord.spi.ProviderContext;

/**
 * The {@code consul} scheme: backends are the values found under a Consul KV path,
 * {@code consul://host:port/path/to/backend/nodes}, followed with blocking queries.
 *
 * <p>Found by {@link java.util.ServiceLoader}; the constructor does no I/O, as the SPI
 * requires. Thread-safe; its one piece of state is the pool of per-agent HTTP clients.
 */
public final class ConsulBackendProvider implements BackendProvider {

    /** The environment variable Consul's own tools read the ACL token from. */
    static final String TOKEN_VARIABLE = ConsulCredentials.TOKEN_VARIABLE;

    private final ConsulBackend.Timing timing;
    /** Shared by every backend of this provider: one HTTP client per agent. */
    private final ConsulHttpClients clients = new ConsulHttpClients();

    /** The provider with production timing; used by {@link java.util.ServiceLoader}. */
    public ConsulBackendProvider() {
        this(ConsulBackend.Timing.DEFAULT);
    }

    private final ConsulCredentials credentials = new ConsulCredentials();

    /** HTTP clients open now (one per agent and token); for tests. */
    int openHttpClients() {
        return clients.openClients();
    }

    /** A provider with other delays, for tests. */
    ConsulBackendProvider(ConsulBackend.Timing timing) {
        this.timing = timing;
    }

    @Override
    public String scheme() {
        return ConsulSpec.SCHEME;
    }

    @Override
    public String description() {
        return "consul://host[:8500]/key/path[?dc=<datacenter>&wait=<1s-10m>] - values of the keys under the path, "
                + "else the path's value; ACL token from " + TOKEN_VARIABLE + ", HTTPS with " + ConsulTls.SSL_VARIABLE + "=true";
    }

    /**
     * Parses the spec and starts the watcher thread; does not wait for Consul.
     *
     * @throws BackendSpecException when the spec is malformed
     */
    @Override
    public Backend open(String spec, ProviderContext context) throws BackendSpecException {
        ConsulSpec parsed = ConsulSpec.parse(spec);
        ConsulCredentials.ForAgent credentials = this.credentials.forAgent(parsed.agent(), context);
        return new ConsulBackend(parsed, credentials.token(), credentials.tls(), context, timing, clients);
    }
}
