package org.ambassadord.plugin.consul;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void doublesWithinTheUpperHalfUpToTheMaximumAndResets() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1_000));
        long[] ceilings = {100, 200, 400, 800, 1_000, 1_000};
        for (long ceiling : ceilings) {
            long delay = backoff.next().toMillis();
            assertTrue(delay >= ceiling / 2 && delay <= ceiling, delay + " not in [" + ceiling / 2 + ", " + ceiling + "]");
        }
        backoff.reset();
        assertTrue(backoff.next().toMillis() <= 100);
    }
}
