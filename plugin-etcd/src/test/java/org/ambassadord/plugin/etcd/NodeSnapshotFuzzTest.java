package org.ambassadord.plugin.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Watch events as an etcd server (or one a container named) may send them, in any order and
 * with any revisions: the snapshot keeps only keys of the spec's tree, applies an event only
 * when it is newer than what it holds (idempotent by modRevision; a put says whether the value
 * changed), and its backend nodes are the
 * children when there are any, else the key itself.
 */
class NodeSnapshotFuzzTest {

    private static final String KEY = "/app/web";

    @FuzzTest(maxDuration = "10s")
    @DictionaryEntries({"/app/web", "/app/web/", "/app/webx", "/app/", "/"})
    void eventsApplyOnlyWhenNewerAndInTheTree(FuzzedDataProvider data) {
        NodeSnapshot snapshot = new NodeSnapshot(KEY);
        Map<String, Long> newest = new HashMap<>();
        Map<String, String> model = new HashMap<>();
        while (data.remainingBytes() > 0) {
            String key = data.consumeBoolean() ? KEY + "/" + data.consumeString(8) : data.consumeString(16);
            long revision = data.consumeLong(1, 1_000);
            boolean inTree = key.equals(KEY) || key.startsWith(KEY + "/");
            boolean newer = revision > newest.getOrDefault(key, 0L);
            if (data.consumeBoolean()) {
                String value = data.consumeString(32);
                boolean changed = snapshot.put(new NodeSnapshot.Node(key, value, revision));
                boolean takes = inTree && newer;
                assertEquals(takes && !value.equals(model.get(key)), changed, key + "@" + revision);
                if (takes) {
                    newest.put(key, revision);
                    model.put(key, value);
                }
            } else {
                boolean applied = snapshot.delete(key, revision);
                boolean present = model.containsKey(key);
                assertEquals(present && newer, applied, "delete " + key + "@" + revision);
                if (applied) {
                    model.remove(key);
                    newest.remove(key);
                }
            }
        }
        boolean anyChild = model.keySet().stream().anyMatch(key -> key.startsWith(KEY + "/"));
        for (NodeSnapshot.Node node : snapshot.backendNodes()) {
            assertTrue(anyChild ? node.key().startsWith(KEY + "/") : node.key().equals(KEY), node.key());
            assertEquals(model.get(node.key()), node.value(), node.key());
        }
    }
}
