package org.ambassadord.plugin.consul;

import java.util.List;

import org.ambassadord.spi.ProviderContext;
import org.tinylog.Logger;

import com.ecwid.consul.transport.TransportException;
import com.ecwid.consul.v1.OperationException;

/**
 * The blocking-query loop: read, apply Consul's index rules, publish the backend set, and
 * read again, paced by a token bucket; after a failure wait with backoff and keep serving
 * the last known set.
 *
 * <p><b>Threading.</b> {@link #run()} is the body of the backend's own daemon thread, the
 * only thread that touches the reader's state, the index, the pacing and the resolver.
 * {@link #stop()} may be called from any thread; the caller then closes the reader, which
 * aborts a query in progress, and interrupts the thread, which ends a sleep.
 */
final class KvWatcher extends BlockingQueryLoop<KvRead> {

    private final ConsulSpec spec;
    private final ConsulKvReader reader;
    private final EndpointResolver resolver;
    private final EndpointCache cache;
    private EndpointSnapshot published;
    private List<String> reportedProblems = List.of();

    /**
     * @param spec     what to read and how long to block
     * @param reader   the Consul client, owned (and closed) by the backend
     * @param resolver turns values into addresses on this thread
     * @param cache    receives every successful read
     * @param backoff  delays between failed reads
     * @param counters where refused values and answers are counted
     */
    KvWatcher(ConsulSpec spec, ConsulKvReader reader, EndpointResolver resolver, EndpointCache cache, Backoff backoff,
              ConsulCounters counters) {
        super(spec.describe(), spec.waitTime(), cache, backoff, counters);
        this.spec = spec;
        this.reader = reader;
        this.resolver = resolver;
        this.cache = cache;
    }

    @Override
    protected KvRead read(long index) {
        return reader.read(index);
    }

    @Override
    protected Long indexOf(KvRead answer) {
        return answer.index();
    }

    @Override
    protected boolean hasPublished() {
        return published != null;
    }

    @Override
    protected void onAnswer(KvRead read) {
        BackendValues values = BackendValues.select(spec.key(), read.pairs());
        EndpointResolver.Resolution resolution = resolver.resolve(values);
        EndpointSnapshot snapshot = new EndpointSnapshot(resolution.endpoints(), values.source(), index.current());
        counters.valuesRefused(read.refusals().size());
        List<String> problems = new java.util.ArrayList<>(read.refusals());
        problems.addAll(resolution.problems());
        report(snapshot, problems);
        cache.publish(snapshot);
    }

    /** Logs a change of the set or of its problems once, not on every blocking return. */
    private void report(EndpointSnapshot snapshot, List<String> problems) {
        if (!problems.equals(reportedProblems)) {
            problems.forEach(problem -> Logger.warn("{}: {}", spec.describe(), problem));
            reportedProblems = problems;
        }
        if (snapshot.equals(published)) {
            return;
        }
        if (snapshot.endpoints().isEmpty()) {
            Logger.warn("{}: no backends ({}); refusing connections until there are", spec.describe(), snapshot.description());
        } else {
            Logger.info("{}: backends {} from {}", spec.describe(), snapshot.endpoints(), snapshot.description());
        }
        published = snapshot;
    }

    /** A one-line reason: consul-api's exception messages are verbose or empty. */
    static String describe(RuntimeException error) {
        if (error instanceof OperationException operation) {
            // The agent's own words, which a container's agent chooses: escaped and capped.
            String content = operation.getStatusContent() == null ? "" : operation.getStatusContent().strip();
            return "HTTP " + operation.getStatusCode() + " " + ProviderContext.printable(operation.getStatusMessage())
                    + (content.isEmpty() ? "" : " [" + ProviderContext.printable(content) + "]");
        }
        Throwable cause = error instanceof TransportException && error.getCause() != null ? error.getCause() : error;
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + ProviderContext.printable(cause.getMessage()));
    }
}
