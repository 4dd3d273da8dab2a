package org.ambassadord.plugin.consul;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.ecwid.consul.v1.ConsulRawClient;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.config.RegistryBuilder;
import org.apache.http.conn.socket.ConnectionSocketFactory;
import org.apache.http.conn.socket.PlainConnectionSocketFactory;
import org.apache.http.conn.ssl.SSLConnectionSocketFactory;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.impl.conn.PoolingHttpClientConnectionManager;
import org.apache.http.message.BasicHeader;
import org.tinylog.Logger;

/**
 * One HTTP client per Consul agent (and token), however many specs read from it: in omni mode
 * a hundred containers naming keys on one agent share one connection pool, not a hundred.
 * Each backend gets a {@link ConsulLease} that aborts its own query on close; the shared
 * client is closed with its last lease. Thread-safe.
 */
final class ConsulHttpClients {

    static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    /** Every blocking query holds a connection; the relay's caps bound the specs long before this. */
    private static final int MAX_CONNECTIONS_PER_AGENT = 1024;

    /** An agent as seen with one token: a client sends its token as a default header. */
    private record Key(HostPort agent, Optional<String> token, Optional<ConsulTls> tls) {
    }

    /** A shared client and how many leases hold it. Guarded by the pool. */
    private static final class Shared {
        final CloseableHttpClient client;
        int holders;

        Shared(CloseableHttpClient client) {
            this.client = client;
        }
    }

    /** Consul adds up to wait/16 of jitter; the margin covers a slow network on top. */
    private static final Duration READ_TIMEOUT_MARGIN = Duration.ofSeconds(15);

    private final Map<Key, Shared> clients = new HashMap<>();

    /**
     * A lease on the agent's client, whose requests time out after {@code readTimeout}.
     *
     * @param token sent as {@code X-Consul-Token} with every request, when present
     * @param tls   HTTPS, when configured (then the client speaks nothing else)
     */
    synchronized ConsulLease lease(HostPort agent, Optional<String> token, Optional<ConsulTls> tls, Duration readTimeout) {
        Key key = new Key(agent, token, tls);
        Shared shared = clients.computeIfAbsent(key, ignored -> new Shared(newClient(token, tls)));
        shared.holders++;
        RequestConfig config = RequestConfig.custom()
                .setConnectTimeout(CONNECT_TIMEOUT_MILLIS)
                .setConnectionRequestTimeout(CONNECT_TIMEOUT_MILLIS)
                .setSocketTimeout((int) Math.min(Integer.MAX_VALUE, readTimeout.toMillis()))
                .build();
        return new ConsulLease(shared.client, config, () -> release(key, shared));
    }

    /**
     * A lease for blocking queries of up to {@code wait} (plus Consul's jitter of wait/16 and a
     * margin for a slow network), and the raw consul-api client over it.
     */
    AgentConnection connect(HostPort agent, Optional<String> token, Optional<ConsulTls> tls, Duration wait) {
        ConsulLease lease = lease(agent, token, tls, wait.plus(wait.dividedBy(16)).plus(READ_TIMEOUT_MARGIN));
        // consul-api prefixes http:// unless the host names its scheme.
        String host = (tls.isPresent() ? "https://" : "http://") + agent.urlHost();
        return new AgentConnection(lease, new ConsulRawClient(lease, host, agent.port(), ""));
    }

    /** A leased client and consul-api's raw client over it; closing the lease aborts a query in progress. */
    record AgentConnection(ConsulLease lease, ConsulRawClient raw) {
    }

    /** Clients open now; for tests and diagnostics. */
    synchronized int openClients() {
        return clients.size();
    }

    private void release(Key key, Shared shared) {
        CloseableHttpClient toClose = null;
        synchronized (this) {
            if (--shared.holders == 0 && clients.remove(key, shared)) {
                toClose = shared.client;
            }
        }
        if (toClose != null) {
            try {
                toClose.close();
            } catch (IOException e) {
                Logger.debug(e, "closing the HTTP client of Consul agent [{}]", key.agent());
            }
        }
    }

    private static CloseableHttpClient newClient(Optional<String> token, Optional<ConsulTls> tls) {
        // One scheme per client: HTTPS when configured (host names verified against the
        // agent's certificate), else plain HTTP — never a fall-back from one to the other.
        RegistryBuilder<ConnectionSocketFactory> schemes = RegistryBuilder.create();
        if (tls.isPresent()) {
            schemes.register("https", new SSLConnectionSocketFactory(tls.get().context(),
                    SSLConnectionSocketFactory.getDefaultHostnameVerifier()));
        } else {
            schemes.register("http", PlainConnectionSocketFactory.getSocketFactory());
        }
        PoolingHttpClientConnectionManager connections = new PoolingHttpClientConnectionManager(schemes.build());
        connections.setMaxTotal(MAX_CONNECTIONS_PER_AGENT);
        connections.setDefaultMaxPerRoute(MAX_CONNECTIONS_PER_AGENT);
        return HttpClients.custom()
                .setConnectionManager(connections)
                .setDefaultHeaders(token.map(value -> List.of(new BasicHeader("X-Consul-Token", value))).orElse(List.of()))
                // The watcher retries with its own backoff; httpclient's retries would
                // hide failures from it and log each one.
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableRedirectHandling()
                .addInterceptorFirst(new AnswerSizeCap(AnswerSizeCap.MAX_ANSWER_BYTES))
                .build();
    }
}
