package org.ambassadord.core.admin;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.ambassadord.core.logging.RefusalLog;
import org.ambassadord.core.fairness.ClientTable;
import org.ambassadord.core.fairness.Fairness;
import org.ambassadord.core.relay.stats.RefusalReason;
import org.ambassadord.core.relay.stats.RelayMetrics;
import org.ambassadord.core.tls.ReloadableTlsFiles;
import org.ambassadord.core.tls.TlsCounters;
import org.ambassadord.core.tls.TlsFailureReason;
import org.ambassadord.core.tls.TlsHops;

/**
 * {@code GET /metrics}: the relay's counters (summed over its loops at scrape time), the
 * backend's answers, the refusal log's savings and the process, as Prometheus snapshots
 * written by the Prometheus client's text format writer. Label values are bounded: listener
 * port, the spec as configured, endpoint (at most 64, then {@code other}), refusal reason.
 * Runs on the admin thread.
 */
final class MetricsExposition {

    private static final PrometheusTextFormatWriter WRITER = PrometheusTextFormatWriter.create();

    private final AdminSources sources;

    MetricsExposition(AdminSources sources) {
        this.sources = sources;
    }

    String contentType() {
        return WRITER.getContentType();
    }

    void write(OutputStream out) throws IOException {
        WRITER.write(out, snapshots());
    }

    MetricSnapshots snapshots() {
        RelayMetrics relay = sources.relay().metrics();
        List<MetricSnapshot> all = new ArrayList<>();
        all.add(counter("ambassadord_connections", "Connections accepted", relay.accepted()));
        all.add(gauge("ambassadord_connections_active", "Connections open now", relay.active()));
        CounterSnapshot.Builder refused = CounterSnapshot.builder().name("ambassadord_connections_refused")
                .help("Connections refused without a backend connect, by reason");
        for (RefusalReason reason : RefusalReason.values()) {
            refused.dataPoint(point(relay.refused().get(reason), Labels.of("reason", reason.label())));
        }
        all.add(refused.build());
        all.add(counter("ambassadord_connections_failed", "Connections whose every endpoint failed to connect",
                relay.failed()));
        CounterSnapshot.Builder failures = CounterSnapshot.builder().name("ambassadord_connect_failures")
                .help("Failed connects to a backend endpoint (the first 64 endpoints by name, then 'other')");
        relay.connectFailures().forEach((endpoint, count) -> failures.dataPoint(point(count, Labels.of("endpoint", endpoint))));
        all.add(failures.build());
        all.add(CounterSnapshot.builder().name("ambassadord_bytes").help("Bytes relayed, by direction")
                .dataPoint(point(relay.bytesClientToBackend(), Labels.of("direction", "client_to_backend")))
                .dataPoint(point(relay.bytesBackendToClient(), Labels.of("direction", "backend_to_client")))
                .build());
        all.add(histogram("ambassadord_connect_duration_seconds",
                "Time from the backend's answer to a connected endpoint (failed attempts included)",
                relay.connectBuckets(), relay.connectSumSeconds()));
        all.add(histogram("ambassadord_resolve_duration_seconds",
                "Time from accept to the backend's answer (refusals included)",
                relay.resolveBuckets(), relay.resolveSumSeconds()));
        all.add(CounterSnapshot.builder().name("ambassadord_loop_busy_seconds")
                .help("Time the event loops spent handling events, summed over loops (rate / loops = busy ratio)")
                .dataPoint(point(relay.busyNanos() / 1e9, Labels.EMPTY)).build());
        all.add(gauge("ambassadord_loops", "Event loops", relay.loops()));
        all.add(gauge("ambassadord_stalled_directions", "Buffers and pipes held now by directions whose receiver is slower",
                relay.heldByFlows()));
        all.add(counter("ambassadord_bytes_spliced", "Bytes moved kernel to kernel with splice(2) rather than copied",
                relay.bytesSpliced()));
        all.add(counter("ambassadord_buffer_waits",
                "Times a direction waited for a buffer because its loop's pool was at the direct-memory ceiling",
                relay.bufferWaits()));
        all.add(counter("ambassadord_accept_paused", "Times accepting paused at --max-connections", relay.acceptPauses()));
        all.add(gauge("ambassadord_endpoints_ejected", "Endpoints skipped now after consecutive connect failures",
                relay.ejectedEndpoints().size()));
        all.add(counter("ambassadord_endpoint_ejections", "Endpoint ejections so far", relay.ejections()));
        all.add(CounterSnapshot.builder().name("ambassadord_health_checks")
                .help("TCP probes of endpoints by --health-check, by result")
                .dataPoint(point(relay.healthChecksPassed(), Labels.of("result", "passed")))
                .dataPoint(point(relay.healthChecksFailed(), Labels.of("result", "failed"))).build());
        all.add(gauge("ambassadord_loops_alive", "Event loops still running", relay.loopsAlive()));
        all.addAll(fairness(sources.relay().fairness()));
        all.addAll(backend());
        all.addAll(backendCounters());
        all.addAll(tls(sources.relay().tls()));
        RefusalLog refusals = sources.refusals();
        all.add(counter("ambassadord_refusal_log_lines", "Refusal lines written (first of their window)",
                refusals.logged()));
        all.add(counter("ambassadord_refusal_log_suppressed", "Refusals counted but not written by the rate limiter",
                refusals.suppressed()));
        all.add(counter("ambassadord_access_log_dropped", "Access log lines dropped because the writer fell behind",
                sources.accessLog().dropped()));
        sources.containerBackends().ifPresent(open -> all.add(gauge("ambassadord_omni_nested_backends_open",
                "Backends open for container-chosen specs", open.getAsInt())));
        all.addAll(process());
        return new MetricSnapshots(all);
    }

    /** Open connections per endpoint (the first {@value #MAX_ENDPOINT_LABELS} by name, then 'other'), clients tracked, the wait queue. */
    private static List<MetricSnapshot> fairness(Fairness fairness) {
        GaugeSnapshot.Builder open = GaugeSnapshot.builder().name("ambassadord_endpoint_connections_open")
                .help("Connections open (or connecting) to each endpoint now");
        int labelled = 0;
        long other = 0;
        for (Map.Entry<String, Integer> entry : fairness.load().snapshot().entrySet()) {
            if (labelled++ < MAX_ENDPOINT_LABELS) {
                open.dataPoint(gaugePoint(entry.getValue(), Labels.of("endpoint", entry.getKey())));
            } else {
                other += entry.getValue();
            }
        }
        if (other > 0) {
            open.dataPoint(gaugePoint(other, Labels.of("endpoint", "other")));
        }
        return List.of(open.build(),
                gauge("ambassadord_clients_tracked", "Clients counted by --max-connections-per-client and"
                        + " --connection-rate-per-client now (at most " + ClientTable.MAX_TRACKED + ")", fairness.clients().tracked()),
                counter("ambassadord_clients_forgotten", "Clients dropped from the per-client table, idle for a minute or to make room",
                        fairness.clients().forgotten()),
                gauge("ambassadord_queue_waiting", "Connections waiting for an endpoint below --max-connections-per-endpoint",
                        fairness.queue().waiting()));
    }

    private static final int MAX_ENDPOINT_LABELS = 64;

    private List<MetricSnapshot> backend() {
        ObservedBackend backend = sources.backend();
        Labels spec = Labels.of("spec", backend.spec());
        ObservedBackend.Answer answer = backend.answer();
        List<MetricSnapshot> metrics = new ArrayList<>();
        metrics.add(GaugeSnapshot.builder().name("ambassadord_backend_endpoints")
                .help("Endpoints in the backend's latest answer")
                .dataPoint(gaugePoint(answer == null ? 0 : answer.endpoints().size(), spec)).build());
        metrics.add(GaugeSnapshot.builder().name("ambassadord_backend_last_update_timestamp_seconds")
                .help("When the backend's endpoint set last changed (0: no answer yet)")
                .dataPoint(gaugePoint(answer == null ? 0 : answer.sinceMillis() / 1000.0, spec)).build());
        metrics.add(CounterSnapshot.builder().name("ambassadord_backend_errors")
                .help("Connections the backend answered with an error")
                .dataPoint(point(backend.errors(), spec)).build());
        metrics.add(GaugeSnapshot.builder().name("ambassadord_backend_ready")
                .help("1 once the backend has its first answer")
                .dataPoint(gaugePoint(backend.isReady() ? 1 : 0, spec)).build());
        return metrics;
    }

    /** The backend's own counts (omni: lookups by outcome, events stream losses). */
    private List<MetricSnapshot> backendCounters() {
        List<MetricSnapshot> metrics = new ArrayList<>();
        new java.util.TreeMap<>(sources.backend().counters()).forEach((name, value) -> {
            if (name.matches("[a-z][a-z_]*[a-z]") && !name.endsWith("_total")) {
                metrics.add(counter("ambassadord_" + name, "Counted by the backend: " + name.replace('_', ' '), value));
            }
        });
        return metrics;
    }

    private static List<MetricSnapshot> process() {
        List<MetricSnapshot> metrics = new ArrayList<>();
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        metrics.add(gauge("ambassadord_jvm_heap_used_bytes", "JVM heap in use", heap.getUsed()));
        metrics.add(gauge("ambassadord_jvm_heap_max_bytes", "JVM heap limit", heap.getMax()));
        long direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(pool -> pool.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
        metrics.add(gauge("ambassadord_jvm_direct_used_bytes", "Direct buffer memory in use", direct));
        metrics.add(gauge("ambassadord_process_open_fds", "Open file descriptors", openFiles()));
        metrics.add(gauge("ambassadord_process_threads", "Live threads", Thread.activeCount()));
        return metrics;
    }

    /** Handshakes by hop and outcome, certificate expiry and reloads by option; nothing without TLS. */
    private static List<MetricSnapshot> tls(TlsHops hops) {
        if (!hops.any()) {
            return List.of();
        }
        CounterSnapshot.Builder handshakes = CounterSnapshot.builder().name("ambassadord_tls_handshakes")
                .help("TLS handshakes, by hop (listener: clients; upstream: backends) and result (ok, or why they failed)");
        hops.listener().ifPresent(tls -> handshakePoints(handshakes, "listener", tls.counters()));
        hops.upstream().ifPresent(tls -> handshakePoints(handshakes, "upstream", tls.counters()));
        GaugeSnapshot.Builder expiry = GaugeSnapshot.builder().name("ambassadord_tls_certificate_expiry_seconds")
                .help("Seconds until the certificate loaded from each TLS option's file expires (a CA bundle: its first)");
        CounterSnapshot.Builder reloads = CounterSnapshot.builder().name("ambassadord_tls_reloads")
                .help("TLS files reloaded after a change, by option and result (failed: did not load in 5 s; the old one serves)");
        long now = System.currentTimeMillis();
        for (ReloadableTlsFiles files : hops.reloadable()) {
            Labels option = Labels.of("option", files.option());
            expiry.dataPoint(gaugePoint((files.notAfter().toEpochMilli() - now) / 1000.0, option));
            reloads.dataPoint(point(files.reloads(), Labels.of("option", files.option(), "result", "ok")));
            reloads.dataPoint(point(files.failures(), Labels.of("option", files.option(), "result", "failed")));
        }
        return List.of(handshakes.build(), expiry.build(), reloads.build());
    }

    private static void handshakePoints(CounterSnapshot.Builder builder, String hop, TlsCounters counters) {
        builder.dataPoint(point(counters.succeededCount(), Labels.of("hop", hop, "result", "ok")));
        for (TlsFailureReason reason : TlsFailureReason.values()) {
            builder.dataPoint(point(counters.failedCount(reason), Labels.of("hop", hop, "result", reason.label())));
        }
    }

    private static long openFiles() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException | UnsupportedOperationException e) {
            return -1;
        }
    }

    private static CounterSnapshot counter(String name, String help, double value) {
        return CounterSnapshot.builder().name(name).help(help).dataPoint(point(value, Labels.EMPTY)).build();
    }

    private static CounterDataPointSnapshot point(double value, Labels labels) {
        return CounterDataPointSnapshot.builder().value(value).labels(labels).build();
    }

    private static GaugeSnapshot gauge(String name, String help, double value) {
        return GaugeSnapshot.builder().name(name).help(help).dataPoint(gaugePoint(value, Labels.EMPTY)).build();
    }

    private static GaugeDataPointSnapshot gaugePoint(double value, Labels labels) {
        return GaugeDataPointSnapshot.builder().value(value).labels(labels).build();
    }

    private static HistogramSnapshot histogram(String name, String help, long[] counts, double sumSeconds) {
        List<Double> bounds = new ArrayList<>(RelayMetrics.bucketBounds());
        bounds.add(Double.POSITIVE_INFINITY);
        List<Long> perBucket = new ArrayList<>();
        for (long count : counts) {
            perBucket.add(count);
        }
        return HistogramSnapshot.builder().name(name).help(help)
                .dataPoint(HistogramDataPointSnapshot.builder()
                        .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, perBucket))
                        .sum(sumSeconds).build())
                .build();
    }
}
