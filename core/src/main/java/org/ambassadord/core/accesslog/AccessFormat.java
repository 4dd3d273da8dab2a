package org.ambassadord.core.accesslog;

import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.ambassadord.core.logging.LogText;

/**
 * How a record becomes one line. {@code text}: space-separated fields, the outcome last and
 * escaped ({@link LogText}); {@code json}: one object per line. Bytes are plain integers in
 * both. Writer thread only.
 */
public enum AccessFormat {
    TEXT {
        @Override
        void write(AccessRecord record, String spec, Writer out) throws IOException {
            out.write(Instant.ofEpochMilli(record.endMillis()).toString());
            out.write(' ');
            out.write(record.client());
            if (!record.clientName().isEmpty()) {
                out.write('/');
                out.write(LogText.escape(record.clientName()).replace(" ", "%20"));
            }
            out.write(" :" + record.listenerPort() + ' ');
            out.write(LogText.escape(spec).replace(" ", "%20"));
            out.write(' ');
            out.write(record.endpoint());
            out.write(" attempts=" + record.attempts() + " up=" + record.bytesUp() + " down=" + record.bytesDown()
                    + " ms=" + record.durationNanos() / 1_000_000 + ' ');
            out.write(LogText.escape(record.outcome()));
            if (!record.tlsClient().isEmpty()) {
                out.write(" tls_client=");
                out.write(LogText.escape(record.tlsClient()).replace(" ", "%20"));
            }
            out.write('\n');
        }
    },
    JSON {
        private final JsonFactory factory = new JsonFactory();

        @Override
        void write(AccessRecord record, String spec, Writer out) throws IOException {
            JsonGenerator json = factory.createGenerator(out);
            json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            json.writeStartObject();
            json.writeStringField("time", Instant.ofEpochMilli(record.endMillis()).toString());
            json.writeStringField("client", record.client());
            if (!record.clientName().isEmpty()) {
                json.writeStringField("client_name", record.clientName());
            }
            json.writeNumberField("listener_port", record.listenerPort());
            json.writeStringField("spec", spec);
            json.writeStringField("endpoint", record.endpoint());
            json.writeNumberField("attempts", record.attempts());
            json.writeNumberField("bytes_client_to_backend", record.bytesUp());
            json.writeNumberField("bytes_backend_to_client", record.bytesDown());
            json.writeNumberField("duration_ms", record.durationNanos() / 1_000_000.0);
            json.writeStringField("outcome", record.outcome());
            if (!record.tlsClient().isEmpty()) {
                json.writeStringField("tls_client", record.tlsClient());
            }
            json.writeEndObject();
            json.flush();
            out.write('\n');
        }
    };

    abstract void write(AccessRecord record, String spec, Writer out) throws IOException;

    /** @throws IllegalArgumentException for anything but text or json */
    public static AccessFormat parse(String name) {
        try {
            return valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--access-log-format [" + name + "] is not one of [text, json]");
        }
    }
}
