package org.ambassadord.core.policy;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import org.ambassadord.core.backend.ForwardingBackend;
import org.ambassadord.spi.Backend;
import org.ambassadord.spi.ClientConnection;

/**
 * A backend whose every answer passes the upstream policy before the relay sees it: the check
 * runs on each connection's endpoints, whatever the provider produced them from (a DNS, etcd
 * or Consul answer that changed since the spec was opened cannot smuggle a denied address
 * in). Denied endpoints are dropped; when none is left the connection is refused with the
 * first denial as the reason, and nothing is connected to.
 *
 * <p>{@link #resolve} runs where the inner backend completes its answer (the event loop for
 * a cached answer): the check is a few comparisons and allocates only when something is
 * denied.
 */
public final class PolicedBackend extends ForwardingBackend {

    private final UpstreamPolicy policy;
    private final Runnable onClose;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * @param onClose run once after the inner backend is closed (releases a cap's slot)
     */
    public PolicedBackend(Backend inner, UpstreamPolicy policy, Runnable onClose) {
        super(inner);
        this.policy = policy;
        this.onClose = onClose;
    }

    @Override
    public CompletionStage<List<InetSocketAddress>> resolve(ClientConnection connection) {
        return inner.resolve(connection).thenApply(this::allowedOnly);
    }

    private List<InetSocketAddress> allowedOnly(List<InetSocketAddress> endpoints) {
        List<InetSocketAddress> allowed = null;
        String firstDenial = null;
        for (int i = 0; i < endpoints.size(); i++) {
            InetSocketAddress endpoint = endpoints.get(i);
            Optional<String> denial = policy.denial(endpoint);
            if (denial.isPresent()) {
                if (allowed == null) {
                    allowed = new ArrayList<>(endpoints.subList(0, i));
                }
                if (firstDenial == null) {
                    firstDenial = "endpoint [" + endpoint.getAddress().getHostAddress() + ":" + endpoint.getPort()
                            + "] is " + denial.get();
                }
            } else if (allowed != null) {
                allowed.add(endpoint);
            }
        }
        if (allowed == null) {
            return endpoints;
        }
        if (allowed.isEmpty()) {
            throw new CompletionException(new UpstreamDeniedException(firstDenial));
        }
        return allowed;
    }






    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            inner.close();
        } finally {
            onClose.run();
        }
    }
}
