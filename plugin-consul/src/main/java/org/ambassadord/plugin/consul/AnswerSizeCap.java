package org.ambassadord.plugin.consul;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

import org.apache.http.HttpEntity;
import org.apache.http.HttpResponse;
import org.apache.http.HttpResponseInterceptor;
import org.apache.http.entity.HttpEntityWrapper;
import org.apache.http.protocol.HttpContext;

/**
 * Caps the body of every answer an agent sends: in omni mode a container may name an agent
 * of its own choosing, and consul-api reads a whole body into memory before it parses it. A
 * body longer than the cap fails the read with an {@link IOException} naming the cap, which
 * the watcher reports and retries with backoff like any agent that does not answer.
 * Stateless; runs on the thread that reads the answer (a watcher thread).
 */
final class AnswerSizeCap implements HttpResponseInterceptor {

    /** Far above any KV prefix a spec reads (Consul itself refuses values above 512 KiB). */
    static final long MAX_ANSWER_BYTES = 4L << 20;

    private final long maxBytes;

    AnswerSizeCap(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    public void process(HttpResponse response, HttpContext context) {
        HttpEntity entity = response.getEntity();
        if (entity == null) {
            return;
        }
        // A declared length above the cap is refused before a byte is read, an undeclared
        // one (chunked) as soon as the count passes it.
        response.setEntity(new Capped(entity, maxBytes));
    }

    private static final class Capped extends HttpEntityWrapper {
        private final long maxBytes;

        Capped(HttpEntity entity, long maxBytes) {
            super(entity);
            this.maxBytes = maxBytes;
        }

        @Override
        public InputStream getContent() throws IOException {
            if (getContentLength() > maxBytes) {
                throw tooLong(getContentLength());
            }
            return new FilterInputStream(super.getContent()) {
                private long read;

                @Override
                public int read() throws IOException {
                    int b = super.read();
                    if (b >= 0) {
                        count(1);
                    }
                    return b;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    int n = super.read(buffer, offset, length);
                    if (n > 0) {
                        count(n);
                    }
                    return n;
                }

                private void count(int n) throws IOException {
                    read += n;
                    if (read > maxBytes) {
                        throw tooLong(read);
                    }
                }
            };
        }

        private IOException tooLong(long bytes) {
            return new AnswerTooLongException("the agent's answer is longer than " + (maxBytes >> 20) + " MiB (" + bytes
                    + " bytes so far); refused");
        }
    }

    /** Whether a failed read was this cap's refusal (consul-api wraps it in its own exceptions). */
    static boolean isTooLong(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof AnswerTooLongException) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    /** The cap's refusal, told apart from other I/O failures so that it is counted. */
    static final class AnswerTooLongException extends IOException {
        private static final long serialVersionUID = 1L;

        AnswerTooLongException(String message) {
            super(message);
        }
    }
}
