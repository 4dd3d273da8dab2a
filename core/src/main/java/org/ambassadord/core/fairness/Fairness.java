package org.ambassadord.core.fairness;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * One server's fairness state — client admission, endpoint load, slow start, the wait queue —
 * behind the few calls the relay makes: {@link #admit} once per accepted connection,
 * {@link #weight} while arranging endpoints, {@link #acquire}/{@link #release} around each
 * endpoint connection. With every option off, admission is skipped and weights pass through.
 */
public final class Fairness {

    /** The wait queue holds at most this many connections (it is also bounded by --max-connections). */
    static final int QUEUE_CAPACITY = 4096;

    private final FairnessSettings settings;
    private final ClientTable clients;
    private final EndpointLoad load = new EndpointLoad();
    private final SlowStart slowStart;
    private final EndpointQueue queue;

    public Fairness(FairnessSettings settings, int maxConnections) {
        this.settings = settings;
        this.clients = new ClientTable(settings);
        this.slowStart = new SlowStart(settings.slowStart());
        this.queue = new EndpointQueue(maxConnections > 0 ? Math.min(QUEUE_CAPACITY, maxConnections) : QUEUE_CAPACITY);
    }

    public FairnessSettings settings() {
        return settings;
    }

    /**
     * Admits a connection from {@code client} (its source address: in omni mode the container's
     * on the shared network), or says why not; admits at once, uncounted, with no per-client limit.
     */
    public ClientTable.Admission admit(InetAddress client, long nowNanos) {
        if (!settings.limitsClients()) {
            return ClientTable.Admission.UNCOUNTED;
        }
        return clients.admit(client.getHostAddress(), nowNanos);
    }

    /** The connection admitted by {@link #admit} closed. */
    public void closed(ClientTable.Admission admission, long nowNanos) {
        if (admission.slot() != null) {
            clients.release(admission.slot(), nowNanos);
        }
    }

    /** A backend's answer, before it is arranged: slow start notices endpoints new to the set. */
    public void answered(List<InetSocketAddress> endpoints, long nowNanos) {
        if (slowStart.enabled()) {
            slowStart.observe(endpoints, nowNanos);
        }
    }

    /** The weight to balance by: the backend's, scaled down while the endpoint ramps up (x100, so 10 % of 1 is not 0). */
    public int weight(int backendWeight, InetSocketAddress endpoint, long nowNanos) {
        if (!slowStart.enabled() || backendWeight <= 0) {
            return backendWeight;
        }
        return (int) Math.max(1, Math.round(backendWeight * 100L * slowStart.factor(endpoint, nowNanos)));
    }

    /** Whether weights are being changed right now (so balancing must weigh even equal backends). */
    public boolean adjustsWeights() {
        return slowStart.enabled() && slowStart.ramping();
    }

    /** An endpoint came back from ejection. */
    public void restored(InetSocketAddress endpoint, long nowNanos) {
        if (slowStart.enabled()) {
            slowStart.restored(endpoint, nowNanos);
        }
    }

    /** Counts a connection to the endpoint; false when it is at {@code --max-connections-per-endpoint}. */
    public boolean acquire(InetSocketAddress endpoint) {
        return load.tryAcquire(endpoint, settings.maxConnectionsPerEndpoint());
    }

    /** A connection counted by {@link #acquire} closed or failed: the head of the wait queue may try again. */
    public void release(InetSocketAddress endpoint) {
        load.release(endpoint);
        if (settings.maxConnectionsPerEndpoint() > 0) {
            queue.slotFreed();
        }
    }

    public EndpointLoad load() {
        return load;
    }

    public EndpointQueue queue() {
        return queue;
    }

    public ClientTable clients() {
        return clients;
    }

    /** Endpoints of {@code ordered} below their cap, in order (all of them with no cap). */
    public List<InetSocketAddress> belowCap(List<InetSocketAddress> ordered) {
        int cap = settings.maxConnectionsPerEndpoint();
        if (cap == 0) {
            return ordered;
        }
        List<InetSocketAddress> below = new ArrayList<>(ordered.size());
        for (InetSocketAddress endpoint : ordered) {
            if (load.openTo(endpoint) < cap) {
                below.add(endpoint);
            }
        }
        return below;
    }
}
