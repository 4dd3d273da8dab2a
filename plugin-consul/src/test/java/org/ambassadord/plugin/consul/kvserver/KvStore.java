package org.ambassadord.plugin.consul.kvserver;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The KV state of the test server, with the index rules of Consul's state store
 * ({@code agent/consul/state/kvs.go}):
 * <ul>
 * <li>every write is one raft log entry and takes the next raft index;</li>
 * <li>the KV table index is the raft index of the last write that changed the table;</li>
 * <li>a single-key read answers with the table index;</li>
 * <li>a prefix read answers with the highest {@code ModifyIndex} under the prefix, or the
 *     highest tombstone (delete) index under it if that is higher, or the table index when
 *     the prefix has neither;</li>
 * <li>an index below 1 is answered as 1, as Consul's {@code blockingQuery} does.</li>
 * </ul>
 * A blocking read wakes when a write touches what it watches (the key, or the prefix), and
 * then returns only if its index is above the client's; otherwise it waits until the wait
 * time ends, as Consul does. {@link #restoreSnapshot} replaces the whole state, like
 * {@code consul snapshot restore}, which may move every index backwards.
 *
 * <p>Thread-safe: one lock guards everything; the condition is signalled on every write.
 */
public final class KvStore {

    /**
     * A read's answer.
     *
     * @param index   the {@code X-Consul-Index} to send
     * @param entries the entries found, in key order
     */
    public record Result(long index, List<KvEntry> entries) {
    }

    /**
     * What a blocking read watches: the index of its key or prefix, and the state's
     * generation, which a snapshot restore bumps (Consul closes its "abandon" channel).
     */
    public record Watch(long index, long generation) {
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition written = lock.newCondition();
    private NavigableMap<String, KvEntry> entries = new TreeMap<>();
    /** Deleted key to the raft index of its deletion (Consul's graveyard, never reaped here). */
    private NavigableMap<String, Long> tombstones = new TreeMap<>();
    /**
     * A fresh Consul has committed raft entries of its own (leader election, its node's
     * registration) before any KV write, so KV indexes never start at 1; starting here
     * keeps a first write distinguishable from the empty table's index 1.
     */
    private long raftIndex = 10;
    private long tableIndex;
    private long generation;

    /** The current raft index. */
    public long raftIndex() {
        return locked(() -> raftIndex);
    }

    /** Reads one key. */
    public Result get(String key) {
        return locked(() -> {
            KvEntry entry = entries.get(key);
            return new Result(atLeastOne(tableIndex), entry == null ? List.of() : List.of(entry));
        });
    }

    /** Reads every key that starts with {@code prefix} (a string prefix, as Consul's). */
    public Result list(String prefix) {
        return locked(() -> {
            List<KvEntry> found = new ArrayList<>(underPrefix(entries, prefix).values());
            return new Result(atLeastOne(prefixIndex(prefix)), found);
        });
    }

    /**
     * Writes a key, optionally as check-and-set.
     *
     * @param cas {@code null} for a plain write; 0 to create only; else the {@code ModifyIndex}
     *            the key must still have
     * @return whether the write was applied
     */
    public boolean put(String key, byte[] value, long flags, Long cas) {
        return locked(() -> {
            raftIndex++;
            KvEntry existing = entries.get(key);
            if (cas != null && (existing == null ? cas != 0 : existing.modifyIndex() != cas)) {
                return false;
            }
            long created = existing == null ? raftIndex : existing.createIndex();
            entries.put(key, new KvEntry(key, value == null || value.length == 0 ? null : value.clone(), flags,
                    created, raftIndex, 0));
            tombstones.remove(key);
            tableChanged();
            return true;
        });
    }

    /**
     * Deletes a key, or every key under a prefix.
     *
     * @param cas {@code null}, or the {@code ModifyIndex} the key must still have
     * @return whether the delete was applied (deleting nothing is applied, as in Consul)
     */
    public boolean delete(String key, boolean recurse, Long cas) {
        return locked(() -> {
            raftIndex++;
            Map<String, KvEntry> doomed = recurse ? underPrefix(entries, key) : single(key);
            if (cas != null && !recurse && (doomed.isEmpty() || doomed.get(key).modifyIndex() != cas)) {
                return false;
            }
            if (doomed.isEmpty()) {
                return true;
            }
            for (String gone : List.copyOf(doomed.keySet())) {
                entries.remove(gone);
                tombstones.put(gone, raftIndex);
            }
            tableChanged();
            return true;
        });
    }

    /**
     * Replaces the whole state, as a snapshot restore does: the given entries, all created
     * and modified at {@code index}, no tombstones, and the raft index set to {@code index},
     * usually lower than before. Wakes every blocked read.
     */
    public void restoreSnapshot(Map<String, String> data, long index) {
        locked(() -> {
            entries = new TreeMap<>();
            data.forEach((key, value) -> entries.put(key, new KvEntry(key,
                    value.isEmpty() ? null : value.getBytes(StandardCharsets.UTF_8), 0, index, index, 0)));
            tombstones = new TreeMap<>();
            raftIndex = index;
            tableIndex = index;
            generation++;
            written.signalAll();
            return null;
        });
    }

    /**
     * Runs a read and, when {@code minIndex > 0}, blocks like a Consul blocking query.
     *
     * @param read       the read, re-run after every relevant write
     * @param watched    what the read watches (its key's or prefix's own index); a change
     *                   of this value counts as a write that touches the read
     * @param minIndex   the client's {@code index}; 0 answers at once
     * @param waitNanos  how long to block at most
     * @param abandoned  true when the server stops: the read then returns at once
     */
    public Result await(Supplier<Result> read, Supplier<Watch> watched, long minIndex, long waitNanos,
                        BooleanSupplier abandoned) throws InterruptedException {
        lock.lock();
        try {
            long deadline = System.nanoTime() + waitNanos;
            Watch seen = watched.get();
            Result result = read.get();
            while (minIndex > 0 && result.index() <= minIndex && !abandoned.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                written.await(left, TimeUnit.NANOSECONDS);
                Watch now = watched.get();
                if (!now.equals(seen)) {
                    // The watch fired: re-run; keep blocking if the index is still not above.
                    seen = now;
                    result = read.get();
                }
            }
            return read.get();
        } finally {
            lock.unlock();
        }
    }

    /** What a single-key read watches: its entry's or tombstone's index. */
    public Watch keyWatch(String key) {
        return locked(() -> {
            KvEntry entry = entries.get(key);
            return new Watch(entry != null ? entry.modifyIndex() : tombstones.getOrDefault(key, 0L), generation);
        });
    }

    /** What a prefix read watches: the prefix's own index. */
    public Watch prefixWatch(String prefix) {
        return locked(() -> new Watch(prefixIndex(prefix), generation));
    }

    /** Wakes every blocked read, so that it can notice its server stopped. */
    public void wakeAll() {
        locked(() -> {
            written.signalAll();
            return null;
        });
    }

    private long prefixIndex(String prefix) {
        long index = 0;
        for (KvEntry entry : underPrefix(entries, prefix).values()) {
            index = Math.max(index, entry.modifyIndex());
        }
        for (long deleted : underPrefix(tombstones, prefix).values()) {
            index = Math.max(index, deleted);
        }
        return index == 0 || prefix.isEmpty() ? tableIndex : index;
    }

    private Map<String, KvEntry> single(String key) {
        KvEntry entry = entries.get(key);
        return entry == null ? Map.of() : Map.of(key, entry);
    }

    private void tableChanged() {
        tableIndex = raftIndex;
        written.signalAll();
    }

    private static <V> NavigableMap<String, V> underPrefix(NavigableMap<String, V> map, String prefix) {
        NavigableMap<String, V> found = new TreeMap<>();
        for (Map.Entry<String, V> entry : map.tailMap(prefix, true).entrySet()) {
            if (!entry.getKey().startsWith(prefix)) {
                break;
            }
            found.put(entry.getKey(), entry.getValue());
        }
        return found;
    }

    private static long atLeastOne(long index) {
        return Math.max(1, index);
    }

    private <T> T locked(Supplier<T> action) {
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }
}
