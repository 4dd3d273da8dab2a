package org.ambassadord.plugin.consul;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.ambassadord.spi.Backend;
import org.ambassadord.spi.ClientConnection;

/** Waits for a backend's answer to become a given list, as the Consul backend tests measure change latency. */
final class EndpointAwait {

    private EndpointAwait() {
    }

    /**
     * Polls {@code resolve} until it answers exactly {@code expected}; returns ms since {@code start}.
     *
     * @throws AssertionError with the last answer when {@code limit} passes first
     */
    static long endpoints(Backend backend, ClientConnection client, long start, Duration limit,
                          InetSocketAddress... expected) throws Exception {
        List<InetSocketAddress> wanted = List.of(expected);
        long deadline = start + limit.toNanos();
        List<InetSocketAddress> last = null;
        while (System.nanoTime() < deadline) {
            CompletableFuture<List<InetSocketAddress>> answer = backend.resolve(client).toCompletableFuture();
            if (answer.isDone() && !answer.isCompletedExceptionally()) {
                last = answer.get();
                if (last.equals(wanted)) {
                    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                }
            }
            Thread.sleep(2);
        }
        throw new AssertionError("endpoints never became " + wanted + "; last " + last);
    }
}
