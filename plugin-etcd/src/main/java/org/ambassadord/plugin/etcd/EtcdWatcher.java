package org.ambassadord.plugin.etcd;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import org.tinylog.Logger;

/**
 * Keeps one spec's backends in step with etcd: reads the path, watches it from the revision
 * after the read, and starts over (read, then watch) whenever the watch fails, is closed,
 * hits a compacted revision or falls silent.
 *
 * <p><b>Threading.</b> Everything happens on one private thread. jetcd calls its listeners on
 * Vert.x and gRPC threads, where blocking (or calling jetcd again) can deadlock; those
 * callbacks only queue a task here. Each read-and-watch attempt has a generation number,
 * and a task of an older generation is dropped, so late callbacks of a replaced watch cannot
 * touch the state of the current one.
 *
 * <p><b>Failures.</b> Nothing is cleared when etcd is unreachable: the last published set
 * keeps serving while reads are retried with exponential backoff. With several endpoints,
 * every failure moves on to the next one. With one, the second failure in a row and every
 * later one use a new jetcd client, whose gRPC channel connects at once, rather than waiting
 * for gRPC's own reconnect backoff (up to two minutes) after a long outage.
 *
 * <p><b>Silent watches.</b> A watch can stay open and deliver nothing (etcd-io/jetcd#1209,
 * #1227); {@link QuietWatchCheck} decides when to send it a progress request and when to
 * replace it. A periodic full read ({@link EtcdTimings#resyncInterval()}) is the last line of
 * defence and also re-resolves host names.
 */
final class EtcdWatcher implements AutoCloseable {

    private final EtcdSpec spec;
    private final EtcdTimings timings;
    private final EtcdClientPool clients;
    private final Consumer<List<InetSocketAddress>> listener;
    private final ScheduledThreadPoolExecutor thread;
    private final KeyRange range;
    private final NodeSnapshot snapshot;
    private final BackendResolver resolver;
    private final Backoff backoff;
    private final QuietWatchCheck quietCheck;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Why an endpoint may not be connected to (the spec's context decides); blocks for a name. */
    private final Function<HostPort, Optional<String>> endpointDenial;

    // The fields below are touched on the private thread only.
    private Client client;
    /** The index in the spec's endpoints of the one {@link #client} talks to. */
    private int endpoint;
    private Watch.Watcher watcher;
    private long generation;
    /** Written on the private thread; read by {@code /status}. */
    private volatile long revision;
    private int failures;
    private ScheduledFuture<?> pendingRead;
    private List<InetSocketAddress> published;
    /** Written on the private thread, read by tests. */
    private volatile long reads;

    /**
     * @param clients       the provider's jetcd clients, one per endpoint; acquired on the private thread
     * @param listener      receives every changed set of backends, starting with the first
     *                      read (even an empty one); called on the private thread
     */
    EtcdWatcher(EtcdSpec spec, EtcdTimings timings, EtcdClientPool clients,
            Function<HostPort, Optional<String>> endpointDenial, Consumer<List<InetSocketAddress>> listener) {
        this.spec = spec;
        this.endpointDenial = endpointDenial;
        this.timings = timings;
        this.clients = clients;
        this.listener = listener;
        this.range = new KeyRange(spec.key());
        this.snapshot = new NodeSnapshot(spec.key());
        this.resolver = new BackendResolver(spec.key());
        this.backoff = new Backoff(timings.initialBackoff(), timings.maxBackoff());
        this.quietCheck = new QuietWatchCheck(timings.quietPeriod());
        this.thread = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread daemon = Executors.defaultThreadFactory().newThread(runnable);
            daemon.setName("etcd-watch " + spec.key());
            daemon.setDaemon(true);
            return daemon;
        });
        // A pending retry must not delay shutdown.
        thread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** Starts reading and watching in the background; returns at once. */
    void start() {
        post(this::read);
        long tick = Math.max(100, timings.quietPeriod().toMillis() / 3);
        thread.scheduleWithFixedDelay(this::superviseWatch, tick, tick, TimeUnit.MILLISECONDS);
        long resync = timings.resyncInterval().toMillis();
        thread.scheduleWithFixedDelay(this::resync, resync, resync, TimeUnit.MILLISECONDS);
    }

    /** The etcd revision of the last read, 0 before the first. Any thread. */
    long revision() {
        return revision;
    }

    /** Stops watching and closes the jetcd client. Idempotent; returns without waiting. */
    /** Values skipped for their size so far; any thread. */
    long valuesRefused() {
        return resolver.valuesRefused();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            post(() -> {
                generation++;
                stopWatch();
                releaseClient(false);
            });
            thread.shutdown();
        }
    }

    /** How many full reads have been started: tests see restarts of the watch by it. */
    long reads() {
        return reads;
    }

    /**
     * Replaces the watch with one starting at {@code fromRevision}, as jetcd's own resume
     * would after an outage. For tests of compaction, which a healthy watcher never meets.
     */
    void watchFrom(long fromRevision) {
        post(() -> {
            stopWatch();
            watch(++generation, fromRevision);
        });
    }

    private void read() {
        if (closed.get()) {
            return;
        }
        cancelPendingRead();
        stopWatch();
        long attempt = ++generation;
        reads++;
        try {
            if (client == null) {
                HostPort target = spec.endpoints().get(endpoint);
                // A container's spec may name any etcd: it is held to the rules of endpoints.
                Optional<String> denied = endpointDenial.apply(target);
                if (denied.isPresent()) {
                    onRead(attempt, null, new IllegalStateException("etcd endpoint " + denied.get()));
                    return;
                }
                client = clients.acquire(target, timings);
            }
            client.getKVClient()
                    .get(range.start(), range.readOption())
                    .orTimeout(timings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    .whenComplete((response, error) -> post(() -> onRead(attempt, response, error)));
        } catch (RuntimeException e) {
            // jetcd throws instead of failing the future when its client is already closed.
            onRead(attempt, null, e);
        }
    }

    private void onRead(long attempt, GetResponse response, Throwable error) {
        if (attempt != generation || closed.get()) {
            return;
        }
        if (error != null) {
            fail("read", error);
            return;
        }
        snapshot.replaceAll(response.getKvs().stream().map(KeyRange::node).toList());
        revision = response.getHeader().getRevision();
        if (failures > 0) {
            Logger.info("etcd [{}] answers again for [{}] at revision {}", spec.endpoints().get(endpoint), spec.key(), revision);
        }
        failures = 0;
        backoff.reset();
        // A full read is the moment to pick up changed DNS records of the host names.
        resolver.forget();
        publish();
        watch(attempt, revision + 1);
    }

    private void watch(long attempt, long fromRevision) {
        try {
            watcher = client.getWatchClient().watch(range.start(), range.watchOption(fromRevision), Watch.listener(
                    response -> post(() -> onWatchResponse(attempt, response)),
                    error -> post(() -> onWatchError(attempt, error)),
                    () -> post(() -> onWatchClosed(attempt))));
        } catch (RuntimeException e) {
            fail("watch", e);
            return;
        }
        quietCheck.heard(System.nanoTime());
    }

    private void onWatchResponse(long attempt, WatchResponse response) {
        if (attempt != generation || closed.get()) {
            return;
        }
        quietCheck.heard(System.nanoTime());
        boolean changed = false;
        for (WatchEvent event : response.getEvents()) {
            KeyValue keyValue = event.getKeyValue();
            switch (event.getEventType()) {
                case PUT -> changed |= snapshot.put(KeyRange.node(keyValue));
                case DELETE -> changed |= snapshot.delete(KeyRange.string(keyValue.getKey()), keyValue.getModRevision());
                default -> Logger.debug("ignoring etcd watch event {} on [{}]", event.getEventType(), spec.key());
            }
        }
        revision = Math.max(revision, response.getHeader().getRevision());
        if (changed) {
            publish();
        }
    }

    private void onWatchError(long attempt, Throwable error) {
        if (attempt != generation || closed.get()) {
            return;
        }
        CompactedException compacted = EtcdErrors.compactionIn(error);
        if (compacted != null) {
            // The revision we asked for is gone: no event stream can fill the gap, a read can.
            Logger.info("etcd compacted [{}] past revision {} (now {}); reading it again",
                    spec.key(), revision, compacted.getCompactedRevision());
            read();
            return;
        }
        fail("watch", error);
    }

    private void onWatchClosed(long attempt) {
        if (attempt != generation || closed.get()) {
            return;
        }
        fail("watch", new IllegalStateException("the watch stream was closed"));
    }

    private void superviseWatch() {
        if (watcher == null || closed.get()) {
            return;
        }
        long now = System.nanoTime();
        switch (quietCheck.check(now)) {
            case REQUEST_PROGRESS -> watcher.requestProgress();
            case REPLACE -> {
                Logger.warn("etcd watch of [{}] silent for {} ms, progress request unanswered; reading and watching again",
                        spec.key(), quietCheck.silence(now).toMillis());
                read();
            }
            case NOTHING -> { }
        }
    }

    private void resync() {
        // While reads are failing, the retry loop is already reading.
        if (watcher != null && !closed.get()) {
            Logger.debug("periodic read of [{}]", spec.key());
            read();
        }
    }

    private void fail(String what, Throwable error) {
        generation++;
        stopWatch();
        failures++;
        String reason = EtcdErrors.describe(error);
        HostPort failed = spec.endpoints().get(endpoint);
        if (failures == 1) {
            Logger.warn("etcd [{}] {} of [{}] failed: {}; {}, retrying", failed, what, spec.key(), reason,
                    published == null ? "no backends known yet" : "serving the last known " + published.size() + " backends");
        } else {
            Logger.debug("etcd [{}] {} of [{}] failed again ({} in a row): {}", failed, what, spec.key(), failures, reason);
        }
        if (spec.endpoints().size() > 1 || failures >= 2) {
            releaseClient(true);
            endpoint = (endpoint + 1) % spec.endpoints().size();
        }
        Duration wait = backoff.next();
        cancelPendingRead();
        pendingRead = thread.schedule(this::read, wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void publish() {
        List<InetSocketAddress> addresses = resolver.addressesOf(snapshot.backendNodes());
        if (addresses.equals(published)) {
            return;
        }
        published = addresses;
        Logger.info("etcd [{}]: {} backends {}", spec.key(), addresses.size(), addresses);
        listener.accept(addresses);
    }

    private void stopWatch() {
        Watch.Watcher current = watcher;
        watcher = null;
        if (current != null) {
            try {
                current.close();
            } catch (RuntimeException e) {
                Logger.debug(e, "closing the etcd watch of [{}]", spec.key());
            }
        }
    }

    /** @param broken retire the client, so that the next acquire builds a fresh one */
    private void releaseClient(boolean broken) {
        stopWatch();
        Client current = client;
        client = null;
        if (current != null) {
            clients.release(current, broken);
        }
    }

    private void cancelPendingRead() {
        if (pendingRead != null) {
            pendingRead.cancel(false);
            pendingRead = null;
        }
    }

    /** Runs a task on the private thread; dropped once the watcher is shut down. */
    private void post(Runnable task) {
        try {
            thread.execute(task);
        } catch (RejectedExecutionException e) {
            Logger.trace("etcd watcher of [{}] is closed; dropping a task", spec.key());
        }
    }
}
