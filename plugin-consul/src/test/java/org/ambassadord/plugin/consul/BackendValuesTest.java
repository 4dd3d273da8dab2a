package org.ambassadord.plugin.consul;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class BackendValuesTest {

    @Test
    void childrenAtAnyDepthWinOverTheValue() {
        BackendValues values = BackendValues.select("app/redis", List.of(
                new KvPair("app/redis", "10.0.0.9:1"),
                new KvPair("app/redis/", null),
                new KvPair("app/redis/a", "10.0.0.1:1"),
                new KvPair("app/redis/dc2/", null),
                new KvPair("app/redis/dc2/b", "10.0.0.2:1"),
                new KvPair("app/redis/empty", null),
                new KvPair("app/redis-cache", "10.0.0.3:1")));
        assertEquals(List.of(new KvPair("app/redis/a", "10.0.0.1:1"), new KvPair("app/redis/dc2/b", "10.0.0.2:1")),
                values.values());
        assertEquals("children of [app/redis/]", values.source());
    }

    @Test
    void theValueCountsWhenThereAreNoChildren() {
        BackendValues values = BackendValues.select("app/redis", List.of(
                new KvPair("app/redis", "10.0.0.9:1"),
                new KvPair("app/redis-cache/x", "10.0.0.3:1")));
        assertEquals(List.of(new KvPair("app/redis", "10.0.0.9:1")), values.values());
        assertEquals("value of [app/redis]", values.source());
    }

    @Test
    void childrenWithoutValuesStillHideTheValue() {
        BackendValues values = BackendValues.select("app", List.of(
                new KvPair("app", "10.0.0.9:1"),
                new KvPair("app/placeholder", null)));
        assertEquals(List.of(), values.values());
        assertEquals("children of [app/]", values.source());
    }

    @Test
    void sayWhyThereIsNothing() {
        assertEquals("no key [app] and no keys under [app/]", BackendValues.select("app", List.of()).source());
        assertEquals("empty value of [app]", BackendValues.select("app", List.of(new KvPair("app", null))).source());
        assertEquals("no key [app] and no keys under [app/]",
                BackendValues.select("app", List.of(new KvPair("app/", null))).source(), "the folder key alone is no child");
    }
}
