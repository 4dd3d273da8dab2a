package org.ambassadord.core.relay;

import java.net.InetSocketAddress;

import org.ambassadord.core.accesslog.AccessRecord;
import org.ambassadord.core.fairness.ClientTable;
import org.ambassadord.spi.ClientConnection;
import org.ambassadord.core.relay.socket.Addresses;
import org.ambassadord.core.relay.stats.LoopCounters;
import org.ambassadord.core.relay.stats.RefusalReason;

/**
 * What one connection tells the outside: its bytes to the loop's counters as they flow (so
 * a long-lived connection shows up in the throughput while it lasts, not when it ends), its
 * resolve and connect durations, how it ended, and its access log line. Loop thread only.
 */
final class ConnectionReport {

    private final LoopCounters counters;
    private final RelayContext context;
    private final ClientConnection connection;
    private final long startedNanos = System.nanoTime();
    private long connectStartedNanos;
    private long countedUp;
    private long countedDown;
    /** Why the connection ended; null until an ending path says so (then it was shut down). */
    private String outcome;
    private String tlsClient = "";
    /** The client's admission, released when the connection closes. */
    private final ClientTable.Admission admission;
    /** The endpoint counted for this connection ({@code EndpointLoad}), released on close or a failed connect. */
    private InetSocketAddress held;

    ConnectionReport(LoopCounters counters, RelayContext context, ClientConnection connection, ClientTable.Admission admission) {
        this.counters = counters;
        this.context = context;
        this.connection = connection;
        this.admission = admission;
        counters.increment(LoopCounters.ACCEPTED);
    }

    /** A connection to {@code endpoint} was counted: this report releases it. */
    void holding(InetSocketAddress endpoint) {
        held = endpoint;
    }

    /** The connect to the held endpoint failed: its count goes back. */
    void released() {
        if (held != null) {
            context.fairness().release(held);
            held = null;
        }
    }

    /** The backend answered (with endpoints or not); connecting starts now. */
    void resolved() {
        connectStartedNanos = System.nanoTime();
        counters.resolveTook(connectStartedNanos - startedNanos);
    }

    void connected() {
        counters.connectTook(System.nanoTime() - connectStartedNanos);
        counters.increment(LoopCounters.RELAYED);
    }

    void refused(RefusalReason reason, String why) {
        counters.refused(reason);
        outcome = "refused: " + why;
    }

    void failed(String summary) {
        counters.increment(LoopCounters.FAILED);
        outcome = "failed: " + summary;
    }

    void ended(String how) {
        outcome = how;
    }

    /** Adds what moved since the last call: two comparisons when nothing did. */
    void bytes(long up, long down) {
        if (up != countedUp) {
            counters.add(LoopCounters.BYTES_UP, up - countedUp);
            countedUp = up;
        }
        if (down != countedDown) {
            counters.add(LoopCounters.BYTES_DOWN, down - countedDown);
            countedDown = down;
        }
    }

    /** The backend's name for the client; a backend that fails here must not lose the line. */
    private String clientName() {
        try {
            String name = context.backend().describeClient(connection);
            return name == null ? "" : name;
        } catch (RuntimeException e) {
            return "";
        }
    }

    /** The client's verified certificate (subject and SANs), for the access log line. */
    void tlsClient(String identity) {
        tlsClient = identity;
    }

    /**
     * @param endpoint the endpoint relayed to, or null when none connected
     * @param attempts endpoints tried
     */
    void closed(long up, long down, String endpoint, int attempts) {
        bytes(up, down);
        counters.increment(LoopCounters.CLOSED);
        released();
        context.fairness().closed(admission, System.nanoTime());
        if (context.accessLog().enabled()) {
            context.accessLog().record(new AccessRecord(System.currentTimeMillis(), Addresses.format(connection.client()),
                    clientName(), connection.local().getPort(), endpoint == null ? "-" : endpoint, attempts, up, down,
                    System.nanoTime() - startedNanos, outcome == null ? "shutdown" : outcome, tlsClient));
        }
    }
}
