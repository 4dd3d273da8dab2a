package org.ambassadord.core.relay.endpoint;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * nginx's smooth weighted round-robin over the endpoints a backend answers with: each pick adds
 * every endpoint's weight to its running score, takes the highest and subtracts the total from
 * it, so weights 5:1:1 give a a b a c a a — spread, not bursts. One per server, shared by its
 * loops: a pick holds the lock for one pass over the endpoints (no I/O). Scores of endpoints no
 * longer answered are dropped once they outnumber the current ones.
 */
public final class SmoothWeightedTurns {

    private final Map<InetSocketAddress, long[]> scores = new HashMap<>();

    /**
     * The next endpoint, or {@code null} when no weight is above 0.
     *
     * @param weights the endpoints' weights, index for index
     */
    public synchronized InetSocketAddress next(List<InetSocketAddress> endpoints, int[] weights) {
        long total = 0;
        InetSocketAddress best = null;
        long[] bestScore = null;
        for (int i = 0; i < endpoints.size(); i++) {
            if (weights[i] <= 0) {
                continue;
            }
            long[] score = scores.computeIfAbsent(endpoints.get(i), endpoint -> new long[1]);
            score[0] += weights[i];
            total += weights[i];
            if (bestScore == null || score[0] > bestScore[0]) {
                best = endpoints.get(i);
                bestScore = score;
            }
        }
        if (bestScore != null) {
            bestScore[0] -= total;
        }
        if (scores.size() > 2 * endpoints.size() + 16) {
            scores.keySet().retainAll(endpoints);
        }
        return best;
    }
}
