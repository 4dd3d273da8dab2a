package org.ambassadord.core.fairness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.ambassadord.core.relay.stats.RefusalReason;
import org.junit.jupiter.api.Test;

/** Per-client admission on a synthetic clock and key stream. */
class ClientTableTest {

    private static final long SECOND = 1_000_000_000L;

    private static ClientTable table(int cap, int rate) {
        return new ClientTable(new FairnessSettings(cap, rate, Duration.ZERO, 0, Duration.ofSeconds(5)));
    }

    @Test
    void theCapCountsOpenConnectionsPerClient() {
        ClientTable table = table(2, 0);
        ClientTable.Admission first = table.admit("a", 0);
        assertTrue(first.admitted());
        assertTrue(table.admit("a", 1).admitted());
        ClientTable.Admission third = table.admit("a", 2);
        assertFalse(third.admitted());
        assertEquals(RefusalReason.CLIENT_CAP, third.refusal());
        assertEquals("client at --max-connections-per-client 2 open connections", third.why());
        assertTrue(table.admit("b", 3).admitted(), "another client is not counted against a");
        table.release(first.slot(), 4);
        assertTrue(table.admit("a", 5).admitted(), "one closed: room again");
    }

    @Test
    void refusedAttemptsCountTowardTheRateSoAFloodStaysShutOut() {
        ClientTable table = table(0, 10);
        int admitted = 0;
        // 100 attempts a second for 5 seconds: after the first 10, every one is refused.
        for (int i = 0; i < 500; i++) {
            if (table.admit("flood", i * SECOND / 100).admitted()) {
                admitted++;
            }
        }
        assertEquals(10, admitted, "the flood never gets back under its rate while it keeps flooding");
        // It slows to 5 a second: within two seconds it is admitted again.
        int later = 0;
        for (int i = 0; i < 20; i++) {
            if (table.admit("flood", 5 * SECOND + 2 * SECOND + i * SECOND / 5).admitted()) {
                later++;
            }
        }
        assertEquals(20, later, "5/s is under 10/s");
        assertTrue(table.admit("other", 5 * SECOND).admitted());
    }

    @Test
    void fiftyThousandSourceAddressesLeaveTheTableBounded() {
        ClientTable table = table(4, 100);
        List<ClientTable.Admission> holding = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            String address = "10." + (i >> 16) + "." + ((i >> 8) & 255) + "." + (i & 255);
            ClientTable.Admission admission = table.admit(address, i * 1_000L);
            assertTrue(admission.admitted());
            if (i % 1000 == 0) {
                holding.add(admission); // some keep a connection open
            } else {
                table.release(admission.slot(), i * 1_000L);
            }
        }
        assertEquals(ClientTable.MAX_TRACKED, table.tracked());
        assertEquals(50_000 - ClientTable.MAX_TRACKED, table.forgotten());
        // Those holding connections were kept while others could go.
        assertEquals(50, table.top(100).size(), table.top(100).toString());
        // A minute of quiet: the idle ones are forgotten as new clients come, up to 16 per
        // admission (O(1) work per connection), the 50 holders kept.
        for (int i = 0; i < 1200; i++) {
            table.admit("late" + i, 60 * SECOND + 50_000_000L + i);
        }
        assertEquals(50 + 1200, table.tracked());
    }

    @Test
    void aClientDroppedWhileHoldingConnectionsReleasesIntoItsOwnRecord() {
        ClientTable table = table(1, 0);
        List<ClientTable.Admission> all = new ArrayList<>();
        for (int i = 0; i <= ClientTable.MAX_TRACKED; i++) {
            all.add(table.admit("c" + i, i));
        }
        assertEquals(ClientTable.MAX_TRACKED, table.tracked(), "every one holds a connection: the least recent went anyway");
        table.release(all.get(0).slot(), 1_000_000);
        assertEquals(ClientTable.MAX_TRACKED, table.tracked());
        assertTrue(table.admit("c0", 1_000_001).admitted(), "c0 starts afresh");
    }

    @Test
    void theRateSlidesOverTheLastSecond() {
        ConnectionRate rate = new ConnectionRate(0);
        for (int i = 0; i < 10; i++) {
            rate.hit(i * SECOND / 10);
        }
        assertEquals(10, rate.estimate(SECOND - 1));
        assertEquals(5, rate.estimate(SECOND + SECOND / 2), "half of the last second's 10 still in the window");
        assertEquals(0, rate.estimate(3 * SECOND));
    }
}
