package org.ambassadord.plugin.consul;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one Consul backend ({@code consul://} or {@code consul-service://}) counted of its
 * agent's answers, for {@code /metrics} ({@code ambassadord_consul_<name>_total}): queries
 * answered, queries that failed, index resets (the index went backwards), values above the size
 * cap or not base64 (per read that carried them), whole answers above the answer cap. Written by
 * the watcher thread, read by the admin server.
 */
final class ConsulCounters {

    private final LongAdder valuesRefused = new LongAdder();
    private final LongAdder answersRefused = new LongAdder();
    private final LongAdder queries = new LongAdder();
    private final LongAdder queryFailures = new LongAdder();
    private final LongAdder indexResets = new LongAdder();

    void valuesRefused(int count) {
        valuesRefused.add(count);
    }

    void answerRefused() {
        answersRefused.increment();
    }

    void queried() {
        queries.increment();
    }

    void queryFailed() {
        queryFailures.increment();
    }

    void indexReset() {
        indexResets.increment();
    }

    Map<String, Long> snapshot() {
        Map<String, Long> snapshot = new LinkedHashMap<>();
        snapshot.put("consul_values_refused", valuesRefused.sum());
        snapshot.put("consul_answers_refused", answersRefused.sum());
        snapshot.put("consul_queries", queries.sum());
        snapshot.put("consul_query_errors", queryFailures.sum());
        snapshot.put("consul_index_resets", indexResets.sum());
        return snapshot;
    }
}
