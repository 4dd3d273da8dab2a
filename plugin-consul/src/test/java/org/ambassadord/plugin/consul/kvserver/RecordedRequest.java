package org.ambassadord.plugin.consul.kvserver;

import java.util.Map;

/**
 * One request as the test server saw it, so that tests can check what a client sent.
 *
 * @param method      the HTTP method
 * @param path        the decoded path, such as {@code /v1/kv/app/backends}
 * @param query       the query parameters (flags map to an empty string)
 * @param headerToken the {@code X-Consul-Token} header, or {@code null}
 * @param nanoTime    {@link System#nanoTime()} when the request arrived
 */
public record RecordedRequest(String method, String path, Map<String, String> query, String headerToken, long nanoTime) {

    /** The {@code ?index=} parameter, or -1 when absent. */
    public long index() {
        String index = query.get("index");
        return index == null ? -1 : Long.parseLong(index);
    }
}
