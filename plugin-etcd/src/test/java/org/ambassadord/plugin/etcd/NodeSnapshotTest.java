package org.ambassadord.plugin.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.ambassadord.plugin.etcd.NodeSnapshot.Node;
import org.junit.jupiter.api.Test;

class NodeSnapshotTest {

    private final NodeSnapshot snapshot = new NodeSnapshot("/svc");

    @Test
    void childrenWinOverTheValueAtThePath() {
        snapshot.replaceAll(List.of(new Node("/svc", "own:1", 2), new Node("/svc/b", "b:1", 3), new Node("/svc/a", "a:1", 4)));
        assertEquals(List.of("a:1", "b:1"), values(), "children, sorted by key");

        assertTrue(snapshot.delete("/svc/a", 5));
        assertTrue(snapshot.delete("/svc/b", 6));
        assertEquals(List.of("own:1"), values(), "the value once the children are gone");

        assertTrue(snapshot.delete("/svc", 7));
        assertEquals(List.of(), values());
    }

    @Test
    void keysThatOnlyShareThePrefixAreNotOurs() {
        snapshot.replaceAll(List.of(new Node("/svc-old", "x:1", 2), new Node("/svc.bak/a", "y:1", 3), new Node("/svc", "own:1", 4)));
        assertEquals(List.of("own:1"), values());
        assertFalse(snapshot.put(new Node("/svc2", "z:1", 5)));
        assertTrue(snapshot.covers("/svc/deep/child"));
        assertFalse(snapshot.covers("/sv"));
    }

    @Test
    void eventsApplyIdempotentlyByRevision() {
        snapshot.replaceAll(List.of(new Node("/svc/a", "a:2", 10)));
        assertFalse(snapshot.put(new Node("/svc/a", "a:1", 8)), "an older put cannot undo a newer value");
        assertFalse(snapshot.put(new Node("/svc/a", "a:2", 10)), "the same event twice changes nothing");
        assertFalse(snapshot.delete("/svc/a", 9), "a delete older than the value is stale");
        assertEquals(List.of("a:2"), values());

        assertFalse(snapshot.put(new Node("/svc/a", "a:2", 11)), "a newer revision with the same value changes no backend");
        assertTrue(snapshot.put(new Node("/svc/a", "a:3", 12)));
        assertTrue(snapshot.delete("/svc/a", 13));
        assertFalse(snapshot.delete("/svc/a", 14), "deleting a missing key changes nothing");
        assertEquals(List.of(), values());
    }

    private List<String> values() {
        return snapshot.backendNodes().stream().map(Node::value).toList();
    }
}
