package org.ambassadord.core.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** The rate limit, with a clock the test moves; what reaches tinylog is counted. */
class RefusalLogTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final RefusalLog log = new RefusalLog(now::get);

    private void refuse(String client, String reason) throws Exception {
        log.report("refused", InetAddress.getByName(client), client + ":40000", "*:10000", reason);
    }

    private void advanceSeconds(long seconds) {
        now.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
    }

    @Test
    void aClientInALoopIsLoggedOncePerWindow() throws Exception {
        for (int i = 0; i < 533; i++) {
            refuse("172.17.0.5", "container [x] defines no backend for port [6379]");
        }
        assertEquals(1, log.logged());
        assertEquals(532, log.suppressed());
        advanceSeconds(RefusalLog.WINDOW_SECONDS);
        refuse("172.17.0.5", "container [x] defines no backend for port [6379]");
        assertEquals(2, log.logged());
    }

    @Test
    void otherClientsAndReasonsAreLoggedApart() throws Exception {
        refuse("172.17.0.5", "a");
        refuse("172.17.0.5", "b");
        refuse("172.17.0.6", "a");
        refuse("172.17.0.6", "a");
        assertEquals(3, log.logged());
        assertEquals(1, log.suppressed());
    }

    @Test
    void theSweepEndsWindowsSoTheNextOneIsLoggedAgain() throws Exception {
        refuse("172.17.0.5", "a");
        refuse("172.17.0.5", "a");
        log.sweep();
        refuse("172.17.0.5", "a");
        assertEquals(1, log.logged());
        advanceSeconds(RefusalLog.WINDOW_SECONDS + 1);
        log.sweep();
        refuse("172.17.0.5", "a");
        assertEquals(2, log.logged());
    }

    @Test
    void theNumberOfTrackedPairsIsBounded() throws Exception {
        for (int i = 0; i < RefusalLog.MAX_KEYS + 500; i++) {
            refuse("10.0." + (i / 250) + "." + (i % 250), "reason " + i);
        }
        // The pairs beyond the cap share one bucket: its first line, then counts.
        assertEquals(RefusalLog.MAX_KEYS + 1, log.logged());
        assertEquals(499, log.suppressed());
    }
}
