package org.ambassadord.plugin.consul;

import java.util.List;

/**
 * The answer to one (blocking) read of a key prefix.
 *
 * @param index the response's {@code X-Consul-Index}, or {@code null} when the header was
 *              missing (a proxy in between may strip it)
 * @param pairs the entries under the prefix, sorted by key; empty when Consul answered 404
 */
record KvRead(Long index, List<KvPair> pairs) {

    KvRead {
        pairs = List.copyOf(pairs);
    }
}
