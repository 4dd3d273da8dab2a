package org.ambassadord.plugin.omni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.dockerjava.transport.DockerHttpClient;
import org.junit.jupiter.api.Test;

/** What a Docker engine sends is capped: a whole answer, or one event of the stream (issue 21). */
class DockerAnswerCapTest {

    private final AtomicInteger refusals = new AtomicInteger();

    @Test
    void anAnswerUpToTheCapIsReadAndOneByteMoreIsRefused() throws IOException {
        assertEquals(DockerAnswerCap.MAX_ANSWER_BYTES, drain(body("/containers/json?all=false",
                new byte[(int) DockerAnswerCap.MAX_ANSWER_BYTES])));
        IOException refused = assertThrows(IOException.class, () -> drain(body("/containers/json",
                new byte[(int) DockerAnswerCap.MAX_ANSWER_BYTES + 1])));
        assertTrue(refused.getMessage().contains("an answer longer than 32 MiB"), refused.getMessage());
        assertEquals(1, refusals.get());
    }

    @Test
    void theEventsStreamIsCappedPerEventNotInTotal() throws IOException {
        byte[] events = new byte[(int) DockerAnswerCap.MAX_ANSWER_BYTES + (4 << 20)];
        for (int i = 1000; i < events.length; i += 1000) {
            events[i] = '\n';
        }
        assertEquals(events.length, drain(body("/events?since=0&filters=x", events)), "many short events pass");
        byte[] oneLong = new byte[(int) DockerAnswerCap.MAX_EVENT_BYTES + 2];
        oneLong[0] = '\n';
        IOException refused = assertThrows(IOException.class, () -> drain(body("/v1.52/events", oneLong)));
        assertTrue(refused.getMessage().contains("an event longer than 1 MiB"), refused.getMessage());
        assertEquals(1, refusals.get());
    }

    @Test
    void onlyTheEventsPathIsAStream() {
        assertTrue(DockerAnswerCap.isEventsStream("/events"));
        assertTrue(DockerAnswerCap.isEventsStream("/v1.44/events?since=1"));
        assertFalse(DockerAnswerCap.isEventsStream("/containers/events/json"));
        assertFalse(DockerAnswerCap.isEventsStream("/containers/json?filters=/events"));
    }

    /** Reads in odd-sized chunks and single bytes, as Jackson and docker-java's framing do. */
    private static long drain(InputStream in) throws IOException {
        long total = 0;
        byte[] buffer = new byte[8191];
        for (int n; (n = in.read(buffer, 0, buffer.length)) > 0; ) {
            total += n;
            int single = in.read();
            if (single < 0) {
                break;
            }
            total++;
        }
        return total;
    }

    private InputStream body(String path, byte[] content) {
        DockerHttpClient.Response response = new DockerHttpClient.Response() {
            @Override
            public int getStatusCode() {
                return 200;
            }

            @Override
            public Map<String, List<String>> getHeaders() {
                return Map.of();
            }

            @Override
            public InputStream getBody() {
                return new ByteArrayInputStream(content);
            }

            @Override
            public void close() {
            }
        };
        DockerHttpClient engine = new DockerHttpClient() {
            @Override
            public Response execute(Request request) {
                return response;
            }

            @Override
            public void close() {
            }
        };
        DockerAnswerCap capped = new DockerAnswerCap(engine, refusals::incrementAndGet);
        return capped.execute(DockerHttpClient.Request.builder().method(DockerHttpClient.Request.Method.GET).path(path).build())
                .getBody();
    }
}
