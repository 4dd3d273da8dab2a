package org.ambassadord.core.relay.endpoint;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

import org.ambassadord.core.relay.socket.Addresses;

/**
 * Outlier ejection, as Envoy's: an endpoint whose connects failed {@code ejectAfter} times in
 * a row is skipped for a back-off that starts at {@value #FIRST_EJECTION_SECONDS} s and
 * doubles with each ejection up to {@value #MAX_EJECTION_SECONDS} s; its next successful
 * connect forgets it all. When every endpoint of an answer is ejected, all are tried anyway
 * (Envoy's panic threshold): a backend is never refused on our memory alone.
 *
 * <p>Shared by a server's loops. Only failing endpoints are tracked, at most
 * {@value #MAX_TRACKED}, so the healthy path costs one look-up in an empty map.
 */
public final class EndpointHealth {

    static final long FIRST_EJECTION_SECONDS = 5;
    static final long MAX_EJECTION_SECONDS = 60;
    private static final long FIRST_EJECTION_NANOS = FIRST_EJECTION_SECONDS * 1_000_000_000L;
    private static final long MAX_EJECTION_NANOS = MAX_EJECTION_SECONDS * 1_000_000_000L;
    static final int MAX_TRACKED = 1024;

    /** One failing endpoint. Guarded by itself. */
    private static final class Record {
        int consecutiveFailures;
        long ejectedUntilNanos;
        long nextEjectionNanos = FIRST_EJECTION_NANOS;
        boolean ejected;
    }

    private final int ejectAfter;
    private final Map<InetSocketAddress, Record> failing = new ConcurrentHashMap<>();
    private final LongAdder ejections = new LongAdder();
    /** Told when an ejected endpoint connects again (slow start ramps it). */
    private final Consumer<InetSocketAddress> restored;

    /** @param ejectAfter consecutive failures that eject; 0 turns ejection off */
    public EndpointHealth(int ejectAfter) {
        this(ejectAfter, endpoint -> { });
    }

    /** @param restored told, on the succeeding thread, when an endpoint that was ejected connects again */
    public EndpointHealth(int ejectAfter, Consumer<InetSocketAddress> restored) {
        this.ejectAfter = ejectAfter;
        this.restored = restored;
    }

    /**
     * The endpoints to try, in the given order, without the ejected ones; all of them when
     * every one is ejected. Allocates only when something is ejected.
     */
    public List<InetSocketAddress> usable(List<InetSocketAddress> ordered, long nowNanos) {
        if (failing.isEmpty()) {
            return ordered;
        }
        List<InetSocketAddress> usable = null;
        for (int i = 0; i < ordered.size(); i++) {
            InetSocketAddress endpoint = ordered.get(i);
            if (isEjected(endpoint, nowNanos)) {
                if (usable == null) {
                    usable = new ArrayList<>(ordered.subList(0, i));
                }
            } else if (usable != null) {
                usable.add(endpoint);
            }
        }
        return usable == null || usable.isEmpty() ? ordered : usable;
    }

    private boolean isEjected(InetSocketAddress endpoint, long nowNanos) {
        Record record = failing.get(endpoint);
        if (record == null) {
            return false;
        }
        synchronized (record) {
            return record.ejected && record.ejectedUntilNanos - nowNanos > 0;
        }
    }

    public void failed(InetSocketAddress endpoint, long nowNanos) {
        if (ejectAfter == 0) {
            return;
        }
        Record record = failing.get(endpoint);
        if (record == null) {
            if (failing.size() >= MAX_TRACKED) {
                return;
            }
            record = failing.computeIfAbsent(endpoint, key -> new Record());
        }
        synchronized (record) {
            record.consecutiveFailures++;
            if (record.consecutiveFailures >= ejectAfter && !(record.ejected && record.ejectedUntilNanos - nowNanos > 0)) {
                record.ejected = true;
                record.ejectedUntilNanos = nowNanos + record.nextEjectionNanos;
                record.nextEjectionNanos = Math.min(record.nextEjectionNanos * 2, MAX_EJECTION_NANOS);
                record.consecutiveFailures = 0;
                ejections.increment();
            }
        }
    }

    public void succeeded(InetSocketAddress endpoint) {
        if (!failing.isEmpty()) {
            Record record = failing.remove(endpoint);
            if (record != null) {
                boolean wasEjected;
                synchronized (record) {
                    wasEjected = record.ejected;
                }
                if (wasEjected) {
                    restored.accept(endpoint);
                }
            }
        }
    }

    /** Endpoints ejected right now, formatted, for metrics and /status. */
    public List<String> ejectedNow(long nowNanos) {
        List<String> ejected = new ArrayList<>();
        failing.forEach((endpoint, record) -> {
            if (isEjected(endpoint, nowNanos)) {
                ejected.add(Addresses.format(endpoint));
            }
        });
        return ejected;
    }

    public long ejections() {
        return ejections.sum();
    }
}
