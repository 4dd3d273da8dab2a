package org.ambassadord.plugin.etcd;

import java.util.HashMap;
import java.util.Map;

import org.ambassadord.spi.Backend;
import org.ambassadord.spi.BackendProvider;
import org.ambassadord.spi.BackendSpecException;
import org.ambassadord.spi.ProviderContext;

/**
 * The {@code etcd} scheme: {@code etcd://host:2379[,host:port]/path/to/backend/nodes}.
 *
 * <p>The backends are the values of the keys under {@code path/} when there are any, otherwise
 * the value of the key {@code path} itself, as in the original ambassadord. Each value is
 * {@code host:port} or {@code [v6]:port} (or several, separated by commas); invalid values are
 * skipped and logged. The path is read once and then watched through the etcd v3 API, so
 * changes reach new connections within a moment; while etcd is unreachable the last known
 * backends keep serving. The proxy listens on port 10000.
 *
 * <p>Thread-safe; the constructor does no I/O, as the SPI requires. Its one piece of state is
 * the pool of jetcd clients, one per endpoint, that all its backends watch through.
 */
public final class EtcdBackendProvider implements BackendProvider {

    /** One pool per access (plain, or TLS/user from the environment, with or without credentials). */
    private final Map<EtcdAccess, EtcdClientPool> pools = new HashMap<>();

    /** Clients open now, one per endpoint and access in use; for tests. */
    synchronized int openClients() {
        return pools.values().stream().mapToInt(EtcdClientPool::openClients).sum();
    }

    /** Creates the provider; called by {@link java.util.ServiceLoader}. Does no I/O. */
    public EtcdBackendProvider() {
    }

    /** @return {@code etcd} */
    @Override
    public String scheme() {
        return EtcdSpecParser.SCHEME;
    }

    @Override
    public String description() {
        return "etcd://host:2379[,host:port]/path - the values under path/ (or at path), watched in etcd v3; listens on 10000;"
                + " TLS and user from ETCDCTL_CACERT, ETCDCTL_CERT, ETCDCTL_KEY, ETCDCTL_USER";
    }

    /**
     * Parses the spec and starts reading and watching it in the background. Does not wait
     * for etcd: a backend whose etcd is down at start serves as soon as etcd answers.
     * Called on the start-up thread or a background thread, never on an event loop.
     *
     * @throws BackendSpecException when the spec is malformed (no path, a bad endpoint, an
     *                              option); the message quotes the offending part
     */
    @Override
    public Backend open(String spec, ProviderContext context) throws BackendSpecException {
        EtcdSpec parsed = EtcdSpecParser.parse(spec);
        // A container's spec may name any etcd: the operator's client certificate and user go
        // only where every endpoint of the spec is a credential host.
        boolean credentialHosts = parsed.endpoints().stream()
                .allMatch(endpoint -> context.mayAuthenticateTo(endpoint.host(), endpoint.port()));
        EtcdAccess access = EtcdAccess.fromEnvironment(context.environment(), credentialHosts);
        return EtcdBackend.open(parsed, EtcdTimings.DEFAULTS, context.scheduler(), pool(access),
                endpoint -> context.controlDenial(endpoint.host(), endpoint.port()));
    }

    private synchronized EtcdClientPool pool(EtcdAccess access) {
        return pools.computeIfAbsent(access,
                key -> new EtcdClientPool((endpoint, timings) -> EtcdClients.connect(endpoint, timings, key)));
    }
}
