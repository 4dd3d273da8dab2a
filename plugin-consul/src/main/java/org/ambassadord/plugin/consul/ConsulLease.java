package org.ambassadord.plugin.consul;

import java.io.IOException;

import org.apache.http.HttpHost;
import org.apache.http.HttpRequest;
import org.apache.http.client.ClientProtocolException;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpRequestBase;
import org.apache.http.conn.ClientConnectionManager;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.params.HttpParams;
import org.apache.http.protocol.HttpContext;

/**
 * One backend's view of a shared Consul HTTP client ({@link ConsulHttpClients}): requests get
 * this backend's timeouts, and {@link #close()} aborts the query in progress (a blocking
 * query waits for minutes) and gives the shared client back, without disturbing the other
 * backends' queries on it. consul-api takes any {@code HttpClient}, so it runs on this.
 */
final class ConsulLease extends CloseableHttpClient {

    private final CloseableHttpClient shared;
    private final RequestConfig config;
    private final Runnable release;
    private volatile HttpRequestBase inFlight;
    private volatile boolean closed;

    ConsulLease(CloseableHttpClient shared, RequestConfig config, Runnable release) {
        this.shared = shared;
        this.config = config;
        this.release = release;
    }

    @Override
    protected CloseableHttpResponse doExecute(HttpHost target, HttpRequest request, HttpContext context)
            throws IOException {
        HttpRequestBase abortable = request instanceof HttpRequestBase base ? base : null;
        if (abortable != null) {
            abortable.setConfig(config);
            inFlight = abortable;
        }
        // Checked after publishing the request: a close() racing this either sees it and
        // aborts it, or has set closed before this check.
        if (closed) {
            throw new ClientProtocolException("the backend reading Consul is closed");
        }
        try {
            return shared.execute(target, request, context);
        } finally {
            inFlight = null;
        }
    }

    /** Aborts the query in progress and releases the shared client. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        HttpRequestBase current = inFlight;
        if (current != null) {
            current.abort();
        }
        release.run();
    }

    @Override
    @Deprecated
    public HttpParams getParams() {
        return shared.getParams();
    }

    @Override
    @Deprecated
    public ClientConnectionManager getConnectionManager() {
        return shared.getConnectionManager();
    }
}
