package org.ambassadord.core.admin;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Instant;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.ambassadord.core.relay.socket.Addresses;
import org.ambassadord.core.fairness.ClientTable;
import org.ambassadord.core.fairness.Fairness;
import org.ambassadord.core.relay.stats.RefusalReason;
import org.ambassadord.core.relay.stats.RelayMetrics;
import org.ambassadord.core.tls.RecentTlsClients;
import org.ambassadord.core.tls.ReloadableTlsFiles;
import org.ambassadord.core.tls.ServerTls;
import org.ambassadord.core.tls.TlsCounters;
import org.ambassadord.core.tls.TlsFailureReason;
import org.ambassadord.core.tls.TlsHops;

/**
 * {@code GET /status}: what an operator asks first, as JSON — version, uptime, listeners,
 * the backend's current endpoints and since when, its last error and since when, and the
 * connection counts. Runs on the admin thread.
 */
final class StatusReport {

    private static final JsonFactory JSON = new JsonFactory();

    private final AdminSources sources;
    private final HealthCheck health;

    StatusReport(AdminSources sources, HealthCheck health) {
        this.sources = sources;
        this.health = health;
    }

    void write(OutputStream out) throws IOException {
        RelayMetrics metrics = sources.relay().metrics();
        try (JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            json.useDefaultPrettyPrinter();
            json.writeStartObject();
            json.writeStringField("version", sources.version());
            json.writeNumberField("uptime_seconds", (System.currentTimeMillis() - sources.startedMillis()) / 1000.0);
            json.writeStringField("health", health.unhealthy().orElse("ok"));
            json.writeStringField("ready", health.notReady().orElse("ok"));
            json.writeArrayFieldStart("listeners");
            for (InetSocketAddress address : sources.relay().listenAddresses()) {
                json.writeString(Addresses.format(address));
            }
            json.writeEndArray();
            writeBackend(json, metrics);
            json.writeObjectFieldStart("connections");
            json.writeNumberField("accepted", metrics.accepted());
            json.writeNumberField("active", metrics.active());
            json.writeNumberField("relayed", metrics.relayed());
            json.writeNumberField("failed", metrics.failed());
            json.writeObjectFieldStart("refused");
            for (RefusalReason reason : RefusalReason.values()) {
                json.writeNumberField(reason.label(), metrics.refused().get(reason));
            }
            json.writeEndObject();
            json.writeNumberField("bytes_client_to_backend", metrics.bytesClientToBackend());
            json.writeNumberField("bytes_backend_to_client", metrics.bytesBackendToClient());
            json.writeEndObject();
            json.writeArrayFieldStart("ejected_endpoints");
            for (String endpoint : metrics.ejectedEndpoints()) {
                json.writeString(endpoint);
            }
            json.writeEndArray();
            writeFairness(json, sources.relay().fairness());
            json.writeObjectFieldStart("loops");
            json.writeNumberField("count", metrics.loops());
            json.writeNumberField("alive", metrics.loopsAlive());
            json.writeEndObject();
            writeTls(json, sources.relay().tls());
            json.writeEndObject();
        }
    }

    /** Clients holding the most connections (bounded), open connections per endpoint (bounded), the wait queue. */
    private static void writeFairness(JsonGenerator json, Fairness fairness) throws IOException {
        json.writeObjectFieldStart("fairness");
        json.writeNumberField("clients_tracked", fairness.clients().tracked());
        json.writeArrayFieldStart("top_clients");
        for (ClientTable.Usage usage : fairness.clients().top(TOP_CLIENTS)) {
            json.writeStartObject();
            json.writeStringField("client", usage.client());
            json.writeNumberField("open", usage.open());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeObjectFieldStart("endpoint_connections_open");
        int written = 0;
        for (java.util.Map.Entry<String, Integer> entry : fairness.load().snapshot().entrySet()) {
            if (written++ == MAX_ENDPOINTS) {
                break;
            }
            json.writeNumberField(entry.getKey(), entry.getValue());
        }
        json.writeEndObject();
        json.writeNumberField("queue_waiting", fairness.queue().waiting());
        json.writeEndObject();
    }

    private static final int TOP_CLIENTS = 10;
    private static final int MAX_ENDPOINTS = 64;

    /** Each hop's handshakes, the certificates in use with their expiry, and the client identities seen last. */
    private static void writeTls(JsonGenerator json, TlsHops hops) throws IOException {
        if (!hops.any()) {
            return;
        }
        json.writeObjectFieldStart("tls");
        if (hops.listener().isPresent()) {
            ServerTls listener = hops.listener().get();
            json.writeObjectFieldStart("listener");
            writeHandshakes(json, listener.counters());
            json.writeArrayFieldStart("recent_clients");
            for (RecentTlsClients.Seen seen : listener.clients().recent()) {
                json.writeStartObject();
                json.writeStringField("identity", seen.identity());
                json.writeNumberField("handshakes", seen.handshakes());
                json.writeStringField("last_seen", java.time.Instant.ofEpochMilli(seen.lastMillis()).toString());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        if (hops.upstream().isPresent()) {
            json.writeObjectFieldStart("upstream");
            writeHandshakes(json, hops.upstream().get().counters());
            json.writeEndObject();
        }
        json.writeArrayFieldStart("files");
        for (ReloadableTlsFiles files : hops.reloadable()) {
            json.writeStartObject();
            json.writeStringField("option", files.option());
            json.writeStringField("files", files.describe());
            json.writeStringField("not_after", files.notAfter().toString());
            json.writeNumberField("reloads", files.reloads());
            json.writeNumberField("reload_failures", files.failures());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    private static void writeHandshakes(JsonGenerator json, TlsCounters counters) throws IOException {
        json.writeObjectFieldStart("handshakes");
        json.writeNumberField("ok", counters.succeededCount());
        for (TlsFailureReason reason : TlsFailureReason.values()) {
            json.writeNumberField(reason.label(), counters.failedCount(reason));
        }
        json.writeEndObject();
    }

    private void writeBackend(JsonGenerator json, RelayMetrics metrics) throws IOException {
        ObservedBackend backend = sources.backend();
        json.writeObjectFieldStart("backend");
        json.writeStringField("spec", backend.spec());
        json.writeBooleanField("ready", backend.isReady());
        json.writeStringField("source", backend.describeState());
        ObservedBackend.Answer answer = backend.answer();
        json.writeArrayFieldStart("endpoints");
        if (answer != null) {
            for (InetSocketAddress endpoint : answer.endpoints()) {
                json.writeString(Addresses.format(endpoint));
            }
        }
        json.writeEndArray();
        json.writeStringField("endpoints_since", answer == null ? null : Instant.ofEpochMilli(answer.sinceMillis()).toString());
        ObservedBackend.Failure failure = backend.failure();
        json.writeStringField("last_error", failure == null ? null : failure.message());
        json.writeStringField("last_error_since", failure == null ? null : Instant.ofEpochMilli(failure.sinceMillis()).toString());
        json.writeNumberField("errors", backend.errors());
        json.writeNumberField("open_connections", metrics.active());
        if (sources.containerBackends().isPresent()) {
            json.writeNumberField("container_backends_open", sources.containerBackends().get().getAsInt());
        }
        json.writeEndObject();
    }
}
