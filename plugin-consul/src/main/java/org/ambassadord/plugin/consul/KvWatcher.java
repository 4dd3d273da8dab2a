package org.ambassadord.plugin.consul;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

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
final class KvWatcher implements Runnable {

    /** Burst of two, then one query per 250 ms at most: prompt, but never a spin. */
    private static final int BURST = 2;
    private static final Duration REFILL = Duration.ofMillis(250);

    private final ConsulSpec spec;
    private final ConsulKvReader reader;
    private final EndpointResolver resolver;
    private final EndpointCache cache;
    private final BlockingIndex index = new BlockingIndex();
    private final TokenBucket pacing = new TokenBucket(BURST, REFILL, System::nanoTime);
    private final Backoff backoff;
    private final ConsulCounters counters;
    private volatile boolean stopped;
    private boolean failing;
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
        this.spec = spec;
        this.counters = counters;
        this.reader = reader;
        this.resolver = resolver;
        this.cache = cache;
        this.backoff = backoff;
    }

    @Override
    public void run() {
        Logger.debug("watching {} with blocking queries (wait {} s)", spec.describe(), spec.waitTime().toSeconds());
        try {
            while (!stopped) {
                pacing.acquire();
                readOnce();
            }
        } catch (InterruptedException e) {
            // stop() interrupts a sleep; nothing else interrupts this thread.
            Thread.currentThread().interrupt();
        }
        Logger.debug("stopped watching {}", spec.describe());
    }

    private void readOnce() throws InterruptedException {
        KvRead read;
        try {
            read = reader.read(index.current());
        } catch (RuntimeException e) {
            if (!stopped) {
                onFailure(e);
            }
            return;
        }
        onSuccess(read);
    }

    private void onSuccess(KvRead read) {
        counters.queried();
        if (failing) {
            Logger.info("{} answers again", spec.describe());
            failing = false;
        }
        backoff.reset();
        switch (index.update(read.index())) {
            case RESET_BACKWARDS -> {
                counters.indexReset();
                Logger.info("{}: X-Consul-Index went backwards to [{}] (a snapshot restore?); reading afresh",
                        spec.describe(), read.index());
            }
            case RAISED_TO_ONE -> Logger.debug("{}: X-Consul-Index [{}] is not >= 1; using 1", spec.describe(), read.index());
            case ACCEPTED -> { }
        }
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

    private void onFailure(RuntimeException error) throws InterruptedException {
        counters.queryFailed();
        if (AnswerSizeCap.isTooLong(error)) {
            counters.answerRefused();
        }
        String reason = describe(error);
        cache.recordFailure(reason);
        // After an outage Consul may be another server or a restored snapshot whose index
        // is below ours; a query with our index would then block without seeing changes.
        index.reset();
        Duration delay = backoff.next();
        String serving = published == null ? "no backends known yet" : "serving the last known backends";
        if (!failing) {
            Logger.warn("{} does not answer ({}); {}, retrying with backoff", spec.describe(), reason, serving);
            failing = true;
        } else {
            Logger.debug("{} still does not answer ({}); retrying in {} ms", spec.describe(), reason, delay.toMillis());
        }
        TimeUnit.MILLISECONDS.sleep(delay.toMillis());
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

    /** Ends the loop after the current query; see the class comment. */
    void stop() {
        stopped = true;
    }
}
