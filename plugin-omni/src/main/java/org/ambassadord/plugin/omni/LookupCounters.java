package org.ambassadord.plugin.omni;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * How omni's look-ups ended, by outcome, for {@code /metrics} (as
 * {@code ambassadord_omni_lookups_<outcome>_total}). A fixed set of outcomes: the counts never
 * carry a container name or address. Updated on event loops.
 */
final class LookupCounters {

    /** Why a connection was (or was not) matched to a backend spec. */
    enum Outcome {
        /** A container and its spec for the dialled port were found. */
        MATCHED,
        /** The spec was found but its backend refused or failed. */
        NESTED_FAILED,
        /** No running container has the client's address. */
        UNKNOWN_CONTAINER,
        /** The container names no backend for the port. */
        NO_DEFINITION,
        /** The spec is longer than allowed. */
        SPEC_TOO_LONG,
        /** No original destination (not redirected), or dialled the omni port itself. */
        NOT_REDIRECTED
    }

    private final Map<Outcome, LongAdder> counts = new java.util.EnumMap<>(Outcome.class);
    /** Engine answers refused for their size ({@link DockerAnswerCap}); counted on the follower's thread. */
    private final LongAdder answersRefused = new LongAdder();

    LookupCounters() {
        for (Outcome outcome : Outcome.values()) {
            counts.put(outcome, new LongAdder());
        }
    }

    void count(Outcome outcome) {
        counts.get(outcome).increment();
    }

    void answerRefused() {
        answersRefused.increment();
    }

    /** The counts by metric name, plus the events stream's losses. */
    Map<String, Long> snapshot(long streamLosses) {
        Map<String, Long> snapshot = new LinkedHashMap<>();
        counts.forEach((outcome, count) -> snapshot.put("omni_lookups_" + outcome.name().toLowerCase(java.util.Locale.ROOT),
                count.sum()));
        snapshot.put("omni_events_stream_losses", streamLosses);
        snapshot.put("omni_docker_answers_refused", answersRefused.sum());
        return snapshot;
    }
}
