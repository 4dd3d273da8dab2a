package org.ambassadord.core.relay.endpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** Endpoint weights in both balance policies (issue 23): smooth weighted round-robin, weighted random, weight 0 left out. */
class WeightedBalanceTest {

    private static final InetSocketAddress A = new InetSocketAddress("10.0.0.1", 80);
    private static final InetSocketAddress B = new InetSocketAddress("10.0.0.2", 80);
    private static final InetSocketAddress C = new InetSocketAddress("10.0.0.3", 80);

    @Test
    void smoothRoundRobinSpreadsFiveOneOneAsNginxDoes() {
        SmoothWeightedTurns smooth = new SmoothWeightedTurns();
        Map<InetSocketAddress, Integer> weights = Map.of(A, 5, B, 1, C, 1);
        List<InetSocketAddress> firsts = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            firsts.add(BalancePolicy.ROUND_ROBIN.arrange(List.of(A, B, C), new AtomicInteger(), weights::get, smooth, endpoint -> 0).get(0));
        }
        // nginx's documented sequence for 5:1:1.
        assertEquals(List.of(A, A, B, A, C, A, A), firsts);
    }

    @Test
    void weightsOneToThreeGiveAQuarterAndThreeQuartersInBothPolicies() {
        Map<InetSocketAddress, Integer> weights = Map.of(A, 1, B, 3);
        for (BalancePolicy policy : BalancePolicy.values()) {
            SmoothWeightedTurns smooth = new SmoothWeightedTurns();
            Map<InetSocketAddress, Integer> counts = new HashMap<>();
            for (int i = 0; i < 4000; i++) {
                counts.merge(policy.arrange(List.of(A, B), new AtomicInteger(), weights::get, smooth, endpoint -> 0).get(0), 1, Integer::sum);
            }
            double share = counts.get(B) / 4000.0;
            assertTrue(share > 0.70 && share < 0.80, policy + ": B took " + share);
        }
    }

    @Test
    void weightZeroTakesNoNewConnectionsAndIsNotEvenAFallback() {
        Map<InetSocketAddress, Integer> weights = Map.of(A, 0, B, 2, C, 1);
        SmoothWeightedTurns smooth = new SmoothWeightedTurns();
        for (BalancePolicy policy : BalancePolicy.values()) {
            for (int i = 0; i < 200; i++) {
                List<InetSocketAddress> arranged = policy.arrange(List.of(A, B, C), new AtomicInteger(), weights::get, smooth, endpoint -> 0);
                assertEquals(2, arranged.size(), arranged.toString());
                assertTrue(!arranged.contains(A), arranged.toString());
            }
        }
        assertEquals(List.of(), BalancePolicy.RANDOM.arrange(List.of(A, B), new AtomicInteger(), endpoint -> 0, smooth, endpoint -> 0));
    }

    @Test
    void equalWeightsKeepThePlainRoundRobin() {
        AtomicInteger turn = new AtomicInteger();
        SmoothWeightedTurns smooth = new SmoothWeightedTurns();
        assertEquals(List.of(A, B, C), BalancePolicy.ROUND_ROBIN.arrange(List.of(A, B, C), turn, endpoint -> 1, smooth, endpoint -> 0));
        assertEquals(List.of(B, C, A), BalancePolicy.ROUND_ROBIN.arrange(List.of(A, B, C), turn, endpoint -> 1, smooth, endpoint -> 0));
    }

    @Test
    void leastConnTakesTheLessLoadedOfTwoDistinctEndpointsByWeight() {
        java.util.Map<InetSocketAddress, Integer> open = new java.util.HashMap<>(java.util.Map.of(A, 5, B, 2, C, 9));
        SmoothWeightedTurns smooth = new SmoothWeightedTurns();
        for (int i = 0; i < 200; i++) {
            assertEquals(B, BalancePolicy.LEAST_CONN.arrange(List.of(A, B), new AtomicInteger(), endpoint -> 1, smooth, open::get).get(0),
                    "with two endpoints, always the less loaded");
        }
        // Weight 4 against 1: A with 5 open carries 1.25 per unit, B with 2 carries 2.
        java.util.Map<InetSocketAddress, Integer> weights = java.util.Map.of(A, 4, B, 1);
        assertEquals(A, BalancePolicy.LEAST_CONN.arrange(List.of(A, B), new AtomicInteger(), weights::get, smooth, open::get).get(0));
        // Of three, the most loaded is never the pick when the other two are drawn: C wins only never.
        for (int i = 0; i < 500; i++) {
            InetSocketAddress first = BalancePolicy.LEAST_CONN.arrange(List.of(A, B, C), new AtomicInteger(), endpoint -> 1, smooth,
                    open::get).get(0);
            assertTrue(!first.equals(C), "C has the most open connections");
        }
        assertEquals(BalancePolicy.LEAST_CONN, BalancePolicy.parse("least-conn"));
    }
}
