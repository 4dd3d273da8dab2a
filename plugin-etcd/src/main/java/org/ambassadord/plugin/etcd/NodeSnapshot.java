package org.ambassadord.plugin.etcd;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The keys of one spec's path as last seen in etcd: the path's own key and every key under
 * {@code path/}, with their values and modification revisions.
 *
 * <p>The spec's rule lives here: when the path has children, the backends are their values;
 * otherwise the value at the path itself (an etcd v2 directory or a plain key, in etcd v3's
 * flat key space). Changes are applied idempotently by revision, so an event that arrives
 * twice or late (a watch restarted from an older revision) cannot undo a newer state.
 *
 * <p>Not thread-safe: owned by one {@link EtcdWatcher} thread.
 */
final class NodeSnapshot {

    /** One key's value and the revision that last modified (or deleted) it. */
    record Node(String key, String value, long modRevision) {
    }

    private final String key;
    private final String childPrefix;
    /** Sorted by key so that the backends come out in a stable, readable order. */
    private final Map<String, Node> nodes = new TreeMap<>();

    NodeSnapshot(String key) {
        this.key = Objects.requireNonNull(key, "key");
        this.childPrefix = key + "/";
    }

    /**
     * Whether a key belongs to this path. The watched range {@code [key, key + "0")} also
     * holds siblings such as {@code key + "-old"} (every byte between the key and
     * {@code '/' + 1}); they are not ours.
     */
    boolean covers(String candidate) {
        return candidate.equals(key) || candidate.startsWith(childPrefix);
    }

    /** Replaces everything with a full read. Keys outside the path are ignored. */
    void replaceAll(List<Node> read) {
        nodes.clear();
        for (Node node : read) {
            if (covers(node.key())) {
                nodes.put(node.key(), node);
            }
        }
    }

    /**
     * Applies a put unless this snapshot already holds a newer or equal revision of the key.
     *
     * @return whether anything changed
     */
    boolean put(Node node) {
        if (!covers(node.key())) {
            return false;
        }
        Node old = nodes.get(node.key());
        if (old != null && old.modRevision() >= node.modRevision()) {
            return false;
        }
        nodes.put(node.key(), node);
        return old == null || !old.value().equals(node.value());
    }

    /**
     * Applies a delete made at {@code revision} unless the key was written again later.
     *
     * @return whether anything changed
     */
    boolean delete(String deletedKey, long revision) {
        Node old = nodes.get(deletedKey);
        if (old == null || old.modRevision() >= revision) {
            return false;
        }
        nodes.remove(deletedKey);
        return true;
    }

    /**
     * The nodes whose values are the backends: the children when there are any, else the
     * path's own key when it exists, else none.
     */
    List<Node> backendNodes() {
        List<Node> children = new ArrayList<>();
        for (Node node : nodes.values()) {
            if (node.key().startsWith(childPrefix)) {
                children.add(node);
            }
        }
        if (!children.isEmpty()) {
            return children;
        }
        Node own = nodes.get(key);
        return own == null ? List.of() : List.of(own);
    }
}
