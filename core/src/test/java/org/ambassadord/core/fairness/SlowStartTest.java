package org.ambassadord.core.fairness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.ambassadord.core.relay.endpoint.BalancePolicy;
import org.ambassadord.core.relay.endpoint.SmoothWeightedTurns;
import org.junit.jupiter.api.Test;

/** Slow start's ramp, and the share it gives a new or restored endpoint under each balance policy. */
class SlowStartTest {

    private static final InetSocketAddress OLD = new InetSocketAddress("10.0.0.1", 80);
    private static final InetSocketAddress NEW = new InetSocketAddress("10.0.0.2", 80);
    private static final long RAMP = 10_000_000_000L;

    /** The share of {@code connections} new connections NEW gets from {@code from} over {@code span} nanos. */
    private static double shareOfNew(Fairness fairness, BalancePolicy policy, long from, long span, int connections) {
        SmoothWeightedTurns smooth = new SmoothWeightedTurns();
        AtomicInteger turn = new AtomicInteger();
        int toNew = 0;
        for (int i = 0; i < connections; i++) {
            long now = from + span * i / connections;
            fairness.answered(List.of(OLD, NEW), now);
            List<InetSocketAddress> arranged = policy.arrange(List.of(OLD, NEW), turn,
                    endpoint -> fairness.adjustsWeights() ? fairness.weight(1, endpoint, now) : 1, smooth, endpoint -> 0);
            if (arranged.get(0).equals(NEW)) {
                toNew++;
            }
        }
        return toNew / (double) connections;
    }

    @Test
    void anEndpointNewToTheSetGetsUnder40PercentInTheFirstFifthAndItsFullShareAfter() {
        for (BalancePolicy policy : List.of(BalancePolicy.RANDOM, BalancePolicy.ROUND_ROBIN)) {
            Fairness fairness = new Fairness(new FairnessSettings(0, 0, Duration.ofNanos(RAMP), 0, Duration.ofSeconds(5)), 0);
            fairness.answered(List.of(OLD), 0);
            double first = shareOfNew(fairness, policy, 1, RAMP / 5, 4000);
            assertTrue(first < 0.40 && first > 0.05, policy + ": first fifth " + first);
            double after = shareOfNew(fairness, policy, RAMP + 1, RAMP, 4000);
            assertTrue(Math.abs(after - 0.5) < 0.05, policy + ": after the ramp " + after);
        }
    }

    @Test
    void theStartingSetIsNotRampedAndARestoredEndpointIs() {
        Fairness fairness = new Fairness(new FairnessSettings(0, 0, Duration.ofNanos(RAMP), 0, Duration.ofSeconds(5)), 0);
        fairness.answered(List.of(OLD, NEW), 0);
        assertEquals(false, fairness.adjustsWeights(), "what the ambassador started with is not 'back'");
        fairness.restored(NEW, 5);
        assertEquals(10, fairness.weight(1, NEW, 5), "10 % of weight 1, counted in hundredths");
        assertEquals(55, fairness.weight(1, NEW, 5 + RAMP / 2));
        assertEquals(100, fairness.weight(1, NEW, 5 + RAMP));
        assertEquals(false, fairness.adjustsWeights(), "ramp over");
    }

    @Test
    void anEndpointThatLeftAndCameBackRampsAgain() {
        Fairness fairness = new Fairness(new FairnessSettings(0, 0, Duration.ofNanos(RAMP), 0, Duration.ofSeconds(5)), 0);
        fairness.answered(List.of(OLD, NEW), 0);
        fairness.answered(List.of(OLD), 1);
        fairness.answered(List.of(OLD, NEW), 2);
        assertEquals(10, fairness.weight(1, NEW, 2));
        assertEquals(100, fairness.weight(1, OLD, 2));
    }
}
