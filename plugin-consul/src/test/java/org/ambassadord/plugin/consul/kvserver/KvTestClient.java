package org.ambassadord.plugin.consul.kvserver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.ambassadord.spi.testkit.ConsulAgent;

/**
 * A bare HTTP client for the KV API, for tests: writes go through real PUT and DELETE
 * requests, and reads return status, index header and body untouched. Every request closes
 * its connection, so that a stopped server never leaves a stale pooled connection behind.
 */
public final class KvTestClient {

    /**
     * One answer.
     *
     * @param status the HTTP status
     * @param index  the {@code X-Consul-Index} header, or {@code null}
     * @param body   the body, empty when there was none
     */
    public record Answer(int status, String index, byte[] body) {
        /** The body as UTF-8. */
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The index header as a number; fails when it is missing. */
        public long consulIndex() {
            if (index == null) {
                throw new AssertionError("no X-Consul-Index header (status " + status + ")");
            }
            return Long.parseLong(index);
        }
    }

    private final String base;
    private final String token;

    /**
     * @param address {@code host:port}
     * @param token   sent as {@code X-Consul-Token}, or {@code null}
     */
    public KvTestClient(String address, String token) {
        this.base = "http://" + address;
        this.token = token;
    }

    /** A client of the test server without a token. */
    public KvTestClient(ConsulKvTestServer server) {
        this(server.address(), null);
    }

    /** {@code PUT /v1/kv/<key>}; returns Consul's true/false. */
    public boolean put(String key, String value) throws IOException {
        Answer answer = request("PUT", "/v1/kv/" + key, value.getBytes(StandardCharsets.UTF_8));
        return expectOk(answer);
    }

    /** {@code DELETE /v1/kv/<key>}. */
    public boolean delete(String key) throws IOException {
        return expectOk(request("DELETE", "/v1/kv/" + key, null));
    }

    /** {@code DELETE /v1/kv/<prefix>?recurse}. */
    public boolean deleteTree(String prefix) throws IOException {
        return expectOk(request("DELETE", "/v1/kv/" + prefix + "?recurse", null));
    }

    /** {@code GET <pathAndQuery>}, such as {@code /v1/kv/a?recurse}. */
    public Answer get(String pathAndQuery) throws IOException {
        return request("GET", pathAndQuery, null);
    }

    /** Any request (through the testkit's HTTP helper, which the real-agent tests use too). */
    public Answer request(String method, String pathAndQuery, byte[] body) throws IOException {
        ConsulAgent.Answer answer = ConsulAgent.request(base, method, pathAndQuery, body, token);
        return new Answer(answer.status(), answer.index(), answer.body());
    }

    private static boolean expectOk(Answer answer) {
        if (answer.status() != 200) {
            throw new AssertionError("write failed: HTTP " + answer.status() + " " + answer.text());
        }
        return Boolean.parseBoolean(answer.text());
    }
}
