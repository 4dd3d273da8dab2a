package org.ambassadord.plugin.omni;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

import com.github.dockerjava.transport.DockerHttpClient;

/**
 * Caps what the Docker engine may send: docker-java reads an answer whole before it parses it,
 * and the events stream is one answer that never ends. A listing or inspection longer than
 * {@link #MAX_ANSWER_BYTES}, or one event longer than {@link #MAX_EVENT_BYTES} (events are
 * newline-delimited JSON), fails the read with an {@link IOException} naming the cap, which
 * the events follower reports and retries like an engine that does not answer. The cap is
 * counted. Counting is one comparison per byte read; no buffering of its own.
 */
final class DockerAnswerCap implements DockerHttpClient {

    /** A listing of thousands of containers with their labels fits many times over. */
    static final long MAX_ANSWER_BYTES = 32L << 20;
    /** One event is a few hundred bytes plus the container's labels. */
    static final long MAX_EVENT_BYTES = 1L << 20;

    private final DockerHttpClient http;
    private final Runnable onRefusal;

    /**
     * @param http      the transport, owned (and closed) by this client
     * @param onRefusal counts a refused answer; called on the reading thread
     */
    DockerAnswerCap(DockerHttpClient http, Runnable onRefusal) {
        this.http = http;
        this.onRefusal = onRefusal;
    }

    @Override
    public Response execute(Request request) {
        Response response = http.execute(request);
        boolean stream = isEventsStream(request.path());
        return new CappedResponse(response, stream ? MAX_EVENT_BYTES : MAX_ANSWER_BYTES, stream, onRefusal);
    }

    /** {@code /events?…}, or {@code /v1.51/events?…} on a client that pins a version. */
    static boolean isEventsStream(String path) {
        int query = path.indexOf('?');
        String plain = query < 0 ? path : path.substring(0, query);
        return plain.endsWith("/events");
    }

    @Override
    public void close() throws IOException {
        http.close();
    }

    private static final class CappedResponse implements Response {
        private final Response response;
        private final InputStream body;

        CappedResponse(Response response, long maxBytes, boolean perLine, Runnable onRefusal) {
            this.response = response;
            InputStream raw = response.getBody();
            this.body = raw == null ? null : new CappedStream(raw, maxBytes, perLine, onRefusal);
        }

        @Override
        public int getStatusCode() {
            return response.getStatusCode();
        }

        @Override
        public Map<String, List<String>> getHeaders() {
            return response.getHeaders();
        }

        @Override
        public String getHeader(String name) {
            return response.getHeader(name);
        }

        @Override
        public InputStream getBody() {
            return body;
        }

        @Override
        public void close() {
            response.close();
        }
    }

    /** Counts bytes of the whole answer, or of the current line when {@code perLine}. */
    static final class CappedStream extends FilterInputStream {
        private final long maxBytes;
        private final boolean perLine;
        private final Runnable onRefusal;
        private long counted;

        CappedStream(InputStream in, long maxBytes, boolean perLine, Runnable onRefusal) {
            super(in);
            this.maxBytes = maxBytes;
            this.perLine = perLine;
            this.onRefusal = onRefusal;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(b == '\n', 1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n <= 0) {
                return n;
            }
            if (!perLine) {
                count(false, n);
                return n;
            }
            int lineStart = offset;
            for (int i = offset; i < offset + n; i++) {
                if (buffer[i] == '\n') {
                    count(true, i - lineStart + 1);
                    lineStart = i + 1;
                }
            }
            count(false, offset + n - lineStart);
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count(false, skipped);
            return skipped;
        }

        private void count(boolean endsLine, long bytes) throws IOException {
            counted += bytes;
            if (counted > maxBytes) {
                onRefusal.run();
                throw new IOException("the Docker engine sent " + (perLine ? "an event" : "an answer") + " longer than "
                        + (maxBytes >> 20) + " MiB (" + counted + " bytes so far); refused");
            }
            if (endsLine) {
                counted = 0;
            }
        }
    }
}
