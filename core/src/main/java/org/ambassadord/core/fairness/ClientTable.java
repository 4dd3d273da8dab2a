package org.ambassadord.core.fairness;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.ambassadord.core.relay.stats.RefusalReason;

/**
 * Per-client admission: {@code --max-connections-per-client} and
 * {@code --connection-rate-per-client}. A client is its source address — in omni mode that is
 * the container's address on the network it shares with the ambassador, so one per container.
 *
 * <p>Bounded whatever the clients do: a client with no open connection is forgotten a minute
 * after it was last seen, and at most {@link #MAX_TRACKED} are kept, the least recently seen
 * dropped first (one that still holds connections only when no other can go: its slots are
 * then released into a record no longer in the table, so nothing is counted twice). Shared by
 * a server's loops; every call holds the lock for O(1) work, apart from the rare full-table
 * case and {@link #top}.
 */
public final class ClientTable {

    public static final int MAX_TRACKED = 16_384;
    static final long FORGET_AFTER_NANOS = 60_000_000_000L;

    /** One client's open connections and connection rate. Guarded by the table. */
    public static final class Slot {
        private final String client;
        private final ConnectionRate rate;
        private int open;
        private long lastSeenNanos;

        private Slot(String client, long nowNanos) {
            this.client = client;
            this.rate = new ConnectionRate(nowNanos);
            this.lastSeenNanos = nowNanos;
        }
    }

    /** A client and its open connections, for {@code /status}. */
    public record Usage(String client, int open) {
    }

    /**
     * Admitted (with the {@code slot} to release when the connection closes, or none when
     * clients are not counted) or refused with the reason.
     */
    public record Admission(Slot slot, RefusalReason refusal, String why) {
        /** Admitted, and not counted: no per-client limit is set. */
        public static final Admission UNCOUNTED = new Admission(null, null, null);

        public boolean admitted() {
            return refusal == null;
        }
    }

    private final FairnessSettings settings;
    private final LinkedHashMap<String, Slot> clients = new LinkedHashMap<>(64, 0.75f, true);
    private long forgotten;
    /** The refusals' reasons, fixed: the refusal log windows by reason, so a changing count would make each a new line. */
    private final String rateRefusal;
    private final String capRefusal;

    public ClientTable(FairnessSettings settings) {
        this.settings = settings;
        this.rateRefusal = "client over --connection-rate-per-client " + settings.connectionRatePerClient()
                + " (new connections in the last second, refused ones counted)";
        this.capRefusal = "client at --max-connections-per-client " + settings.maxConnectionsPerClient() + " open connections";
    }

    /** A new connection from {@code client}: counted against its rate (refused or not) and its cap. */
    public synchronized Admission admit(String client, long nowNanos) {
        forgetIdle(nowNanos);
        Slot slot = clients.get(client);
        if (slot == null) {
            makeRoom();
            slot = new Slot(client, nowNanos);
            clients.put(client, slot);
        }
        slot.lastSeenNanos = nowNanos;
        int limit = settings.connectionRatePerClient();
        if (limit > 0) {
            if (slot.rate.hit(nowNanos) > limit) {
                return new Admission(null, RefusalReason.CLIENT_RATE, rateRefusal);
            }
        }
        int cap = settings.maxConnectionsPerClient();
        if (cap > 0 && slot.open >= cap) {
            return new Admission(null, RefusalReason.CLIENT_CAP, capRefusal);
        }
        slot.open++;
        return new Admission(slot, null, null);
    }

    /** The admitted connection closed. */
    public synchronized void release(Slot slot, long nowNanos) {
        slot.open--;
        slot.lastSeenNanos = nowNanos;
    }

    /**
     * Drops clients idle (no open connection) for a minute, from the least recently seen. A
     * client that holds connections is moved behind the others rather than blocking the scan;
     * at most {@link #SCAN_STEPS} steps per admission, so the work per connection stays O(1).
     */
    private void forgetIdle(long nowNanos) {
        for (int step = 0; step < SCAN_STEPS && !clients.isEmpty(); step++) {
            Slot eldest = clients.values().iterator().next();
            if (eldest.open > 0) {
                clients.get(eldest.client); // access order: to the back
            } else if (nowNanos - eldest.lastSeenNanos >= FORGET_AFTER_NANOS) {
                clients.remove(eldest.client);
                forgotten++;
            } else {
                return;
            }
        }
    }

    /**
     * At {@link #MAX_TRACKED}: the least recently seen client without open connections goes
     * (holders met on the way move to the back); after {@link #SCAN_STEPS} holders, the least
     * recently seen goes even though it holds connections.
     */
    private void makeRoom() {
        if (clients.size() < MAX_TRACKED) {
            return;
        }
        for (int step = 0; step < SCAN_STEPS; step++) {
            Slot eldest = clients.values().iterator().next();
            if (eldest.open == 0) {
                clients.remove(eldest.client);
                forgotten++;
                return;
            }
            clients.get(eldest.client);
        }
        clients.remove(clients.values().iterator().next().client);
        forgotten++;
    }

    private static final int SCAN_STEPS = 16;

    /** Clients tracked now. */
    public synchronized int tracked() {
        return clients.size();
    }

    /** Clients dropped so far, idle or to make room. */
    public synchronized long forgotten() {
        return forgotten;
    }

    /** The {@code limit} clients holding the most open connections, most first. */
    public synchronized List<Usage> top(int limit) {
        List<Usage> all = new ArrayList<>();
        for (Map.Entry<String, Slot> entry : clients.entrySet()) {
            if (entry.getValue().open > 0) {
                all.add(new Usage(entry.getKey(), entry.getValue().open));
            }
        }
        all.sort(Comparator.comparingInt(Usage::open).reversed().thenComparing(Usage::client));
        return all.size() > limit ? List.copyOf(all.subList(0, limit)) : all;
    }
}
