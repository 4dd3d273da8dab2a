package org.ambassadord.plugin.etcd;

import static org.ambassadord.plugin.etcd.QuietWatchCheck.Verdict.NOTHING;
import static org.ambassadord.plugin.etcd.QuietWatchCheck.Verdict.REPLACE;
import static org.ambassadord.plugin.etcd.QuietWatchCheck.Verdict.REQUEST_PROGRESS;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class QuietWatchCheckTest {

    private static final long SECOND = 1_000_000_000L;
    private final QuietWatchCheck check = new QuietWatchCheck(Duration.ofSeconds(10));

    @Test
    void asksForProgressOnceAfterAQuietPeriodAndGivesUpAfterTwo() {
        check.heard(0);
        assertEquals(NOTHING, check.check(9 * SECOND));
        assertEquals(REQUEST_PROGRESS, check.check(10 * SECOND));
        assertEquals(NOTHING, check.check(15 * SECOND), "one request per silence");
        assertEquals(REPLACE, check.check(20 * SECOND));
        assertEquals(Duration.ofSeconds(20), check.silence(20 * SECOND));
    }

    @Test
    void anAnswerStartsTheSilenceOver() {
        check.heard(0);
        assertEquals(REQUEST_PROGRESS, check.check(12 * SECOND));
        check.heard(13 * SECOND);
        assertEquals(NOTHING, check.check(20 * SECOND));
        assertEquals(REQUEST_PROGRESS, check.check(23 * SECOND), "a new silence gets a new request");
    }
}
