package org.ambassadord.plugin.srv;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Orders the entries of an SRV answer for one connection as RFC 2782 asks: all entries of
 * the lowest priority first, then the next priority, and so on; within a priority a weighted
 * random order, where an entry's chance to come next is its weight divided by the sum of the
 * weights still left.
 *
 * <p>Weight 0 entries "have a very small chance of being selected" (RFC 2782): each counts
 * as 1/{@value #WEIGHT_SCALE} of a weight-1 entry, so they come last nearly always but are
 * not starved when their siblings are overloaded. When every entry of a priority has weight
 * 0 they are chosen uniformly. RFC 2782's own integer algorithm over-selects the first
 * entry (it draws from {@code 0..sum} inclusive); drawing from {@code [0, sum)} gives exact
 * shares.
 *
 * <p>Stateless; called on event loop threads, so it does no I/O and allocates only the
 * result.
 */
final class Rfc2782Order {

    /** Scale of positive weights relative to a weight-0 entry's share. */
    static final long WEIGHT_SCALE = 1000;

    private Rfc2782Order() {
    }

    /**
     * The endpoints of {@code answer} in RFC 2782 order: each entry's addresses, in their own
     * order, follow one another.
     *
     * @param entries entries sorted by priority, as {@link SrvAnswer#entries()} keeps them
     */
    static List<InetSocketAddress> endpoints(List<SrvEntry> entries, RandomGenerator random) {
        List<InetSocketAddress> endpoints = new ArrayList<>();
        for (SrvEntry entry : order(entries, random)) {
            for (InetAddress address : entry.addresses()) {
                endpoints.add(new InetSocketAddress(address, entry.port()));
            }
        }
        return endpoints;
    }

    /** The entries in RFC 2782 order; {@code entries} must be sorted by priority. */
    static List<SrvEntry> order(List<SrvEntry> entries, RandomGenerator random) {
        List<SrvEntry> ordered = new ArrayList<>(entries.size());
        int start = 0;
        while (start < entries.size()) {
            int end = start;
            while (end < entries.size() && entries.get(end).priority() == entries.get(start).priority()) {
                end++;
            }
            shuffleByWeight(new ArrayList<>(entries.subList(start, end)), random, ordered);
            start = end;
        }
        return ordered;
    }

    /** Moves entries from {@code group} (one priority) to {@code out}, weighted random. */
    private static void shuffleByWeight(List<SrvEntry> group, RandomGenerator random, List<SrvEntry> out) {
        while (group.size() > 1) {
            long total = 0;
            for (SrvEntry entry : group) {
                total += share(entry);
            }
            long pick = random.nextLong(total);
            int chosen = 0;
            long running = share(group.get(0));
            while (running <= pick) {
                chosen++;
                running += share(group.get(chosen));
            }
            out.add(group.remove(chosen));
        }
        out.addAll(group);
    }

    private static long share(SrvEntry entry) {
        return entry.weight() == 0 ? 1 : entry.weight() * WEIGHT_SCALE;
    }
}
