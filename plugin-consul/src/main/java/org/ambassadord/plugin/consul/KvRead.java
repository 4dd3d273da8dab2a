package org.ambassadord.plugin.consul;

import java.util.List;

/**
 * The answer to one (blocking) read of a key prefix.
 *
 * @param index the response's {@code X-Consul-Index}, or {@code null} when the header was
 *              missing (a proxy in between may strip it)
 * @param pairs the entries under the prefix, sorted by key; empty when Consul answered 404
 * @param refusals why values were ignored (too long, not base64), one line each, keys escaped
 */
record KvRead(Long index, List<KvPair> pairs, List<String> refusals) {

    KvRead {
        pairs = List.copyOf(pairs);
        refusals = List.copyOf(refusals);
    }
}
