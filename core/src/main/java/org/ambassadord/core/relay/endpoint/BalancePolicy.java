package org.ambassadord.core.relay.endpoint;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How connections are spread over the endpoints of a backend that does not order them
 * itself. The arranged list starts at the chosen endpoint and goes on with the others, so a
 * failed connect tries every endpoint once.
 */
public enum BalancePolicy {
    RANDOM,
    ROUND_ROBIN;

    /** Parses {@code random} or {@code round-robin}. */
    public static BalancePolicy parse(String text) {
        return switch (text.toLowerCase(java.util.Locale.ROOT)) {
            case "random" -> RANDOM;
            case "round-robin", "roundrobin", "rr" -> ROUND_ROBIN;
            default -> throw new IllegalArgumentException("balance [" + text + "] is not one of [random, round-robin]");
        };
    }

    /** The order of one connection's attempts; {@code turn} counts connections for round-robin. */
    public List<InetSocketAddress> arrange(List<InetSocketAddress> endpoints, AtomicInteger turn) {
        int size = endpoints.size();
        if (size <= 1) {
            return endpoints;
        }
        int first = switch (this) {
            case RANDOM -> ThreadLocalRandom.current().nextInt(size);
            case ROUND_ROBIN -> Math.floorMod(turn.getAndIncrement(), size);
        };
        List<InetSocketAddress> arranged = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            arranged.add(endpoints.get((first + i) % size));
        }
        return arranged;
    }
}
