package org.ambassadord.plugin.consul.kvserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Proves that {@link ConsulKvTestServer} behaves as Consul's KV HTTP API is documented to,
 * so that the provider tests that run against it mean something.
 */
class ConsulKvTestServerTest {

    private final ExecutorService background = Executors.newCachedThreadPool();
    private ConsulKvTestServer server;
    private KvTestClient client;

    @BeforeEach
    void start() throws IOException {
        server = ConsulKvTestServer.start();
        client = new KvTestClient(server);
    }

    @AfterEach
    void stop() {
        server.close();
        background.shutdownNow();
    }

    @Test
    void missingKeyIs404WithAnIndexAndNoBody() throws IOException {
        KvTestClient.Answer answer = client.get("/v1/kv/nothing/here");
        assertEquals(404, answer.status());
        assertTrue(answer.consulIndex() >= 1, "index must be at least 1 even on an empty store");
        assertEquals(0, answer.body().length);
    }

    @Test
    void getReturnsAnArrayWithConsulsFieldsAndBase64Value() throws IOException {
        assertTrue(client.put("app/redis", "10.0.0.1:6379"));
        long written = server.store().raftIndex();

        KvTestClient.Answer answer = client.get("/v1/kv/app/redis");
        assertEquals(200, answer.status());
        assertEquals(written, answer.consulIndex());
        JsonArray array = JsonParser.parseString(answer.text()).getAsJsonArray();
        assertEquals(1, array.size());
        JsonObject entry = array.get(0).getAsJsonObject();
        assertEquals("app/redis", entry.get("Key").getAsString());
        assertEquals("10.0.0.1:6379", decode(entry.get("Value")));
        assertEquals(written, entry.get("CreateIndex").getAsLong());
        assertEquals(written, entry.get("ModifyIndex").getAsLong());
        assertEquals(0, entry.get("LockIndex").getAsLong());
        assertEquals(0, entry.get("Flags").getAsLong());

        assertTrue(client.put("app/redis", "10.0.0.2:6379"));
        JsonObject updated = JsonParser.parseString(client.get("/v1/kv/app/redis").text())
                .getAsJsonArray().get(0).getAsJsonObject();
        assertEquals(written, updated.get("CreateIndex").getAsLong(), "CreateIndex stays");
        assertEquals(server.store().raftIndex(), updated.get("ModifyIndex").getAsLong(), "ModifyIndex moves");
    }

    @Test
    void emptyValueIsJsonNull() throws IOException {
        client.put("folder/", "");
        JsonObject entry = JsonParser.parseString(client.get("/v1/kv/folder/").text())
                .getAsJsonArray().get(0).getAsJsonObject();
        assertTrue(entry.get("Value").isJsonNull());
    }

    @Test
    void recurseIsAStringPrefixInKeyOrderWithThePrefixIndex() throws IOException {
        client.put("app/b", "2");
        client.put("app/a", "1");
        client.put("apple", "x");
        long beforeOther = server.store().raftIndex();
        client.put("other", "y");

        KvTestClient.Answer answer = client.get("/v1/kv/app?recurse");
        assertEquals(List.of("app/a", "app/b", "apple"), keysOf(answer));
        assertEquals(beforeOther, answer.consulIndex(), "a prefix answers with its own highest ModifyIndex");

        client.delete("app/b");
        long deleted = server.store().raftIndex();
        KvTestClient.Answer afterDelete = client.get("/v1/kv/app/?recurse");
        assertEquals(List.of("app/a"), keysOf(afterDelete));
        assertEquals(deleted, afterDelete.consulIndex(), "a tombstone under the prefix raises its index");

        assertEquals(404, client.get("/v1/kv/none/?recurse").status());
    }

    @Test
    void keysListsNamesAndRollsUpAtTheSeparator() throws IOException {
        client.put("svc/web/1", "a");
        client.put("svc/web/2", "b");
        client.put("svc/db", "c");
        assertEquals("[\"svc/db\",\"svc/web/1\",\"svc/web/2\"]", client.get("/v1/kv/svc/?keys").text());
        assertEquals("[\"svc/db\",\"svc/web/\"]", client.get("/v1/kv/svc/?keys&separator=/").text());
    }

    @Test
    void rawReturnsTheBareValue() throws IOException {
        client.put("raw/key", "hello:1");
        KvTestClient.Answer answer = client.get("/v1/kv/raw/key?raw");
        assertEquals(200, answer.status());
        assertEquals("hello:1", answer.text());
    }

    @Test
    void deleteRecurseRemovesThePrefix() throws IOException {
        client.put("tree/a", "1");
        client.put("tree/b/c", "2");
        client.put("treetop", "3");
        assertTrue(client.deleteTree("tree/"));
        assertEquals(List.of("treetop"), keysOf(client.get("/v1/kv/tree?recurse")));
    }

    @Test
    void checkAndSetFollowsModifyIndex() throws IOException {
        assertTrue(putWith("cas/key", "?cas=0", "one"), "cas=0 creates a missing key");
        assertFalse(putWith("cas/key", "?cas=0", "two"), "cas=0 refuses an existing key");
        long modify = server.store().get("cas/key").entries().get(0).modifyIndex();
        assertFalse(putWith("cas/key", "?cas=" + (modify + 100), "three"));
        assertTrue(putWith("cas/key", "?cas=" + modify, "four"));
        assertEquals("four", client.get("/v1/kv/cas/key?raw").text());
    }

    @Test
    void blockingQueryReturnsPromptlyWhenTheKeyChanges() throws Exception {
        client.put("block/key", "old");
        long index = client.get("/v1/kv/block/key").consulIndex();
        CompletableFuture<KvTestClient.Answer> blocked = getAsync("/v1/kv/block/key?index=" + index + "&wait=30s");
        awaitBlockedRequests(1);
        assertFalse(blocked.isDone(), "a query with the current index must block");

        client.put("block/key", "new");
        long written = System.nanoTime();
        KvTestClient.Answer answer = blocked.get(5, TimeUnit.SECONDS);
        long latencyMillis = (System.nanoTime() - written) / 1_000_000;
        assertTrue(latencyMillis < 500, "returned " + latencyMillis + " ms after the write");
        assertTrue(answer.consulIndex() > index);
        assertEquals("new", decode(JsonParser.parseString(answer.text()).getAsJsonArray().get(0).getAsJsonObject().get("Value")));
    }

    @Test
    void blockingQueryOnAMissingKeyWakesWhenItIsCreated() throws Exception {
        long index = client.get("/v1/kv/later").consulIndex();
        CompletableFuture<KvTestClient.Answer> blocked = getAsync("/v1/kv/later?index=" + index + "&wait=30s");
        awaitBlockedRequests(1);
        client.put("later", "now");
        assertEquals(200, blocked.get(5, TimeUnit.SECONDS).status());
    }

    @Test
    void blockingQueryWaitsOutTheWaitTimePlusAtMostASixteenthAndReturnsTheSameIndex() throws Exception {
        client.put("idle", "x");
        long index = client.get("/v1/kv/idle").consulIndex();
        long start = System.nanoTime();
        KvTestClient.Answer answer = client.get("/v1/kv/idle?index=" + index + "&wait=1s");
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(tookMillis >= 1_000, "returned after " + tookMillis + " ms, before the wait time");
        assertTrue(tookMillis < 1_000 + 1_000 / 16 + 400, "returned after " + tookMillis + " ms");
        assertEquals(index, answer.consulIndex());
    }

    @Test
    void singleKeyQueryIsNotWokenByOtherKeysButAnswersWithTheTableIndex() throws Exception {
        client.put("mine", "x");
        long index = client.get("/v1/kv/mine").consulIndex();
        CompletableFuture<KvTestClient.Answer> blocked = getAsync("/v1/kv/mine?index=" + index + "&wait=1s");
        awaitBlockedRequests(1);
        long start = System.nanoTime();
        client.put("someone-else", "y");
        KvTestClient.Answer answer = blocked.get(5, TimeUnit.SECONDS);
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(tookMillis > 600, "woken after " + tookMillis + " ms by a write to another key");
        assertEquals(server.store().raftIndex(), answer.consulIndex(), "the table index moved on");
    }

    @Test
    void waitDefaultsToFiveMinutesAndIsCappedAtTenWithJitterBelowASixteenth() throws Exception {
        assertEquals(Duration.ofMinutes(5), QueryOptions.effectiveWait(Duration.ZERO));
        assertEquals(Duration.ofMinutes(10), QueryOptions.effectiveWait(Duration.ofMinutes(20)));
        assertEquals(Duration.ofSeconds(3), QueryOptions.effectiveWait(Duration.ofSeconds(3)));
        assertEquals(Duration.ofMinutes(5), QueryOptions.parse("index=3").waitTime());
        for (int i = 0; i < 200; i++) {
            Duration jittered = QueryOptions.withJitter(Duration.ofSeconds(16));
            assertTrue(jittered.compareTo(Duration.ofSeconds(16)) >= 0 && jittered.compareTo(Duration.ofSeconds(17)) < 0,
                    jittered.toString());
        }
        assertEquals(Duration.ofSeconds(90), QueryOptions.parseGoDuration("1m30s"));
        assertEquals(Duration.ofMillis(1500), QueryOptions.parseGoDuration("1.5s"));
        assertEquals(Duration.ofMillis(250), QueryOptions.parseGoDuration("250ms"));
        assertThrows(QueryOptions.BadRequest.class, () -> QueryOptions.parseGoDuration("5"));
        assertThrows(QueryOptions.BadRequest.class, () -> QueryOptions.parseGoDuration("5 minutes"));
    }

    @Test
    void badParametersAre400() throws IOException {
        assertEquals(400, client.get("/v1/kv/x?index=1&wait=soon").status());
        assertEquals("Invalid wait time", client.get("/v1/kv/x?index=1&wait=soon").text());
        assertEquals(400, client.get("/v1/kv/x?index=-1").status());
        assertEquals(400, client.get("/v1/kv/").status(), "a GET without a key needs ?recurse or ?keys");
    }

    @Test
    void otherDatacenterHasNoPath() throws IOException {
        client.put("dc/key", "v");
        assertEquals(200, client.get("/v1/kv/dc/key?dc=dc1").status());
        KvTestClient.Answer other = client.get("/v1/kv/dc/key?dc=eu-west");
        assertEquals(500, other.status());
        assertEquals("No path to datacenter", other.text());
    }

    @Test
    void aclTokenIsCheckedFromHeaderOrParameter() throws IOException {
        client.put("acl/key", "v");
        server.requireToken("s3cret");
        KvTestClient.Answer anonymous = client.get("/v1/kv/acl/key");
        assertEquals(403, anonymous.status());
        assertEquals("Permission denied", anonymous.text());
        KvTestClient.Answer wrong = new KvTestClient(server.address(), "guess").get("/v1/kv/acl/key");
        assertEquals(403, wrong.status());
        assertEquals("ACL not found", wrong.text());
        assertEquals(200, new KvTestClient(server.address(), "s3cret").get("/v1/kv/acl/key").status());
        assertEquals(200, client.get("/v1/kv/acl/key?token=s3cret").status());
        assertEquals("s3cret", server.requests().get(server.requests().size() - 2).headerToken());
    }

    @Test
    void snapshotRestoreMovesTheIndexBackwardsAndBlockedQueriesWaitItOut() throws Exception {
        for (int i = 0; i < 10; i++) {
            client.put("restore/key", "v" + i);
        }
        long high = client.get("/v1/kv/restore/key").consulIndex();
        CompletableFuture<KvTestClient.Answer> blocked = getAsync("/v1/kv/restore/key?index=" + high + "&wait=1s");
        awaitBlockedRequests(1);
        server.store().restoreSnapshot(Map.of("restore/key", "restored"), 3);

        KvTestClient.Answer afterWait = blocked.get(5, TimeUnit.SECONDS);
        assertEquals(3, afterWait.consulIndex(), "the index went backwards");
        assertEquals("restored", client.get("/v1/kv/restore/key?raw").text());
        assertEquals(3, client.get("/v1/kv/restore/key").consulIndex());
        client.put("restore/key", "after");
        assertEquals(4, client.get("/v1/kv/restore/key").consulIndex(), "writes continue from the restored index");
    }

    @Test
    void stopClosesBlockedQueriesAndRefusesThenRestartServesTheSameDataOnTheSamePort() throws Exception {
        client.put("persist", "v");
        long index = client.get("/v1/kv/persist").consulIndex();
        int port = server.port();
        CompletableFuture<KvTestClient.Answer> blocked = getAsync("/v1/kv/persist?index=" + index + "&wait=30s");
        awaitBlockedRequests(1);

        server.stop();
        ExecutionException broken = assertThrows(ExecutionException.class, () -> blocked.get(5, TimeUnit.SECONDS));
        assertTrue(broken.getCause() instanceof IOException, "blocked query must fail: " + broken.getCause());
        assertThrows(ConnectException.class, () -> client.get("/v1/kv/persist"));
        assertFalse(server.isRunning());

        server.restart();
        assertEquals(port, server.port());
        assertEquals("v", client.get("/v1/kv/persist?raw").text());
        assertEquals(index, client.get("/v1/kv/persist").consulIndex());
    }

    private boolean putWith(String key, String query, String value) throws IOException {
        KvTestClient.Answer answer = client.request("PUT", "/v1/kv/" + key + query, value.getBytes(StandardCharsets.UTF_8));
        assertEquals(200, answer.status(), answer.text());
        return Boolean.parseBoolean(answer.text());
    }

    private CompletableFuture<KvTestClient.Answer> getAsync(String pathAndQuery) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return client.get(pathAndQuery);
            } catch (IOException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        }, background).exceptionallyCompose(error -> CompletableFuture.failedFuture(
                error instanceof java.util.concurrent.CompletionException && error.getCause() != null ? error.getCause() : error));
    }

    /** Waits until the server has received this many requests with an index parameter. */
    private void awaitBlockedRequests(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (server.requests().stream().filter(request -> request.index() > 0).count() < count) {
            assertTrue(System.nanoTime() < deadline, "the blocking request never arrived");
            Thread.sleep(5);
        }
        // The request is in; give the handler a moment to reach its wait.
        Thread.sleep(50);
    }

    private static List<String> keysOf(KvTestClient.Answer answer) {
        assertEquals(200, answer.status(), answer.text());
        return StreamSupport.stream(JsonParser.parseString(answer.text()).getAsJsonArray().spliterator(), false)
                .map(element -> element.getAsJsonObject().get("Key").getAsString())
                .toList();
    }

    private static String decode(JsonElement value) {
        return new String(Base64.getDecoder().decode(value.getAsString()), StandardCharsets.UTF_8);
    }
}
