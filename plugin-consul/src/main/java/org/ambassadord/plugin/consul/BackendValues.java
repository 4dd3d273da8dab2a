package org.ambassadord.plugin.consul;

import java.util.ArrayList;
import java.util.List;

/**
 * Which KV entries name the backends, by the seed's rule: the values of the keys under
 * {@code path/} (at any depth) when there are any, otherwise the value of {@code path}
 * itself.
 *
 * <p>The watcher reads the prefix {@code path} recursively, which returns {@code path},
 * everything under {@code path/}, and also unrelated siblings such as {@code pathology};
 * one blocking query can so follow both the children and the value, and this class picks
 * the entries that count.
 *
 * @param values the chosen entries with a value, in key order
 * @param source what was chosen, for log lines: the children, the value, or nothing
 */
record BackendValues(List<KvPair> values, String source) {

    BackendValues {
        values = List.copyOf(values);
    }

    /**
     * Applies the rule to the entries of a recursive read of {@code key}.
     *
     * @param key   the spec's key path, without a trailing slash
     * @param pairs all entries Consul returned for the prefix {@code key}
     */
    static BackendValues select(String key, List<KvPair> pairs) {
        String directory = key + "/";
        List<KvPair> children = new ArrayList<>();
        KvPair own = null;
        boolean anyChild = false;
        for (KvPair pair : pairs) {
            if (pair.key().equals(key)) {
                own = pair;
            } else if (pair.key().startsWith(directory) && pair.key().length() > directory.length()) {
                anyChild = true;
                // Folder keys (ending in '/', no value) only structure the tree.
                if (pair.value() != null && !pair.key().endsWith("/")) {
                    children.add(pair);
                }
            }
        }
        if (anyChild) {
            return new BackendValues(children, "children of [" + directory + "]");
        }
        if (own != null) {
            return own.value() == null
                    ? new BackendValues(List.of(), "empty value of [" + key + "]")
                    : new BackendValues(List.of(own), "value of [" + key + "]");
        }
        return new BackendValues(List.of(), "no key [" + key + "] and no keys under [" + directory + "]");
    }
}
