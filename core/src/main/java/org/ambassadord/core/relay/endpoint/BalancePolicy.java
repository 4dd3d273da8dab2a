package org.ambassadord.core.relay.endpoint;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;

/**
 * How connections are spread over the endpoints of a backend that does not order them
 * itself. The arranged list starts at the chosen endpoint and goes on with the others, so a
 * failed connect tries every endpoint once.
 */
public enum BalancePolicy {
    RANDOM,
    ROUND_ROBIN,
    /**
     * The endpoint with fewer open connections relative to its weight, of two distinct ones
     * picked by weight (power of two choices): with two endpoints, always the less loaded.
     * For long-lived connections (redis, PostgreSQL), where turns pile them up unevenly.
     */
    LEAST_CONN;

    /** Parses {@code random}, {@code round-robin} or {@code least-conn}. */
    public static BalancePolicy parse(String text) {
        return switch (text.toLowerCase(java.util.Locale.ROOT)) {
            case "random" -> RANDOM;
            case "round-robin", "roundrobin", "rr" -> ROUND_ROBIN;
            case "least-conn", "leastconn" -> LEAST_CONN;
            default -> throw new IllegalArgumentException("balance [" + text + "] is not one of [random, round-robin, least-conn]");
        };
    }

    /** Whether arranging reads the endpoints' open connections. */
    public boolean needsLoad() {
        return this == LEAST_CONN;
    }

    /**
     * The order of one connection's attempts, by the endpoints' weights: when they differ,
     * {@code random} picks the first by weight and {@code round-robin} takes the smooth weighted
     * turn; an endpoint of weight 0 (or less) is left out. Equal weights take the plain path.
     *
     * @param weight the weight of each endpoint ({@code Backend.weightOf}, ramped by slow start)
     * @param smooth the server's weighted round-robin scores
     * @param open   each endpoint's open connections (read by {@code least-conn} only)
     */
    public List<InetSocketAddress> arrange(List<InetSocketAddress> endpoints, AtomicInteger turn,
                                           ToIntFunction<InetSocketAddress> weight, SmoothWeightedTurns smooth,
                                           ToIntFunction<InetSocketAddress> open) {
        int size = endpoints.size();
        int[] weights = new int[size];
        boolean even = true;
        for (int i = 0; i < size; i++) {
            weights[i] = weight.applyAsInt(endpoints.get(i));
            even &= weights[i] == weights[0];
        }
        if (even && this != LEAST_CONN && (size == 0 || weights[0] > 0)) {
            return arrange(endpoints, turn);
        }
        InetSocketAddress first = switch (this) {
            case RANDOM -> weightedRandom(endpoints, weights);
            case ROUND_ROBIN -> smooth.next(endpoints, weights);
            case LEAST_CONN -> lessLoadedOfTwo(endpoints, weights, open);
        };
        if (first == null) {
            return List.of();
        }
        List<InetSocketAddress> arranged = new ArrayList<>(size);
        arranged.add(first);
        int at = endpoints.indexOf(first);
        for (int i = 1; i < size; i++) {
            int next = (at + i) % size;
            if (weights[next] > 0) {
                arranged.add(endpoints.get(next));
            }
        }
        return arranged;
    }

    /**
     * Two distinct endpoints drawn by weight; the one with fewer open connections per unit of
     * weight (cross-multiplied: no division, no rounding), the first drawn on a tie.
     */
    static InetSocketAddress lessLoadedOfTwo(List<InetSocketAddress> endpoints, int[] weights,
                                             ToIntFunction<InetSocketAddress> open) {
        InetSocketAddress a = weightedRandom(endpoints, weights);
        if (a == null) {
            return null;
        }
        int at = endpoints.indexOf(a);
        int saved = weights[at];
        weights[at] = 0;
        InetSocketAddress b = weightedRandom(endpoints, weights);
        weights[at] = saved;
        if (b == null) {
            return a;
        }
        int wa = saved;
        int wb = weights[endpoints.indexOf(b)];
        long loadA = (long) open.applyAsInt(a) * wb;
        long loadB = (long) open.applyAsInt(b) * wa;
        return loadB < loadA ? b : a;
    }

    private static InetSocketAddress weightedRandom(List<InetSocketAddress> endpoints, int[] weights) {
        long total = 0;
        for (int w : weights) {
            total += Math.max(w, 0);
        }
        if (total == 0) {
            return null;
        }
        long pick = ThreadLocalRandom.current().nextLong(total);
        for (int i = 0; i < weights.length; i++) {
            pick -= Math.max(weights[i], 0);
            if (pick < 0) {
                return endpoints.get(i);
            }
        }
        throw new IllegalStateException("a pick below the total always lands");
    }

    /** The order of one connection's attempts; {@code turn} counts connections for round-robin. */
    public List<InetSocketAddress> arrange(List<InetSocketAddress> endpoints, AtomicInteger turn) {
        int size = endpoints.size();
        if (size <= 1) {
            return endpoints;
        }
        int first = switch (this) {
            case RANDOM, LEAST_CONN -> ThreadLocalRandom.current().nextInt(size);
            case ROUND_ROBIN -> Math.floorMod(turn.getAndIncrement(), size);
        };
        List<InetSocketAddress> arranged = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            arranged.add(endpoints.get((first + i) % size));
        }
        return arranged;
    }
}
