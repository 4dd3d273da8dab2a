package org.ambassadord.plugin.srv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** RFC 2782 ordering in isolation, with many draws (no DNS involved). */
class Rfc2782OrderTest {

    private final Random random = new Random(2782);

    private static SrvEntry entry(int priority, int weight, int port) throws Exception {
        return new SrvEntry(priority, weight, port, "t" + port, List.of(InetAddress.getByName("127.0.0.1")));
    }

    private static List<SrvEntry> sorted(SrvEntry... entries) {
        return SrvAnswer.of(List.of(entries), SrvLookup.MIN_TTL).entries();
    }

    @Test
    void ordersByPriorityFirst() throws Exception {
        List<SrvEntry> entries = sorted(entry(30, 100, 3), entry(10, 0, 1), entry(20, 65535, 2));
        for (int i = 0; i < 1000; i++) {
            assertEquals(List.of(1, 2, 3), Rfc2782Order.order(entries, random).stream().map(SrvEntry::port).toList());
        }
    }

    @Test
    void sharesWithinAPriorityFollowTheWeights() throws Exception {
        List<SrvEntry> entries = sorted(entry(1, 1, 1), entry(1, 2, 2), entry(1, 5, 5));
        int[] first = new int[6];
        int draws = 80_000;
        for (int i = 0; i < draws; i++) {
            first[Rfc2782Order.order(entries, random).get(0).port()]++;
        }
        for (int weight : new int[] {1, 2, 5}) {
            double share = first[weight] / (double) draws;
            assertEquals(weight / 8.0, share, 0.01, "share of weight " + weight);
        }
    }

    @Test
    void weightZeroComesLastNearlyAlwaysButIsNotStarved() throws Exception {
        List<SrvEntry> entries = sorted(entry(1, 0, 0), entry(1, 1, 1));
        int zeroFirst = 0;
        int draws = 200_000;
        for (int i = 0; i < draws; i++) {
            if (Rfc2782Order.order(entries, random).get(0).port() == 0) {
                zeroFirst++;
            }
        }
        // Expected share 1/1001: about 200 of 200 000.
        assertTrue(zeroFirst > 100 && zeroFirst < 400, "weight 0 first " + zeroFirst + " times of " + draws);
    }

    @Test
    void allWeightsZeroAreChosenUniformly() throws Exception {
        List<SrvEntry> entries = sorted(entry(1, 0, 0), entry(1, 0, 1));
        int zeroFirst = 0;
        for (int i = 0; i < 10_000; i++) {
            if (Rfc2782Order.order(entries, random).get(0).port() == 0) {
                zeroFirst++;
            }
        }
        assertEquals(5000, zeroFirst, 300);
    }

    @Test
    void endpointsKeepEachTargetsAddressesTogether() throws Exception {
        SrvEntry twoAddresses = new SrvEntry(1, 1, 80, "a",
                List.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1")));
        SrvEntry later = new SrvEntry(2, 1, 81, "b", List.of(InetAddress.getByName("127.0.0.2")));
        assertEquals(List.of(new InetSocketAddress("127.0.0.1", 80), new InetSocketAddress("::1", 80),
                        new InetSocketAddress("127.0.0.2", 81)),
                Rfc2782Order.endpoints(sorted(later, twoAddresses), random));
    }
}
