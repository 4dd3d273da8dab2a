package org.ambassadord.plugin.etcd;

import static org.junit.jupiter.api.Assertions.fail;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import org.ambassadord.spi.Backend;
import org.ambassadord.spi.ClientConnection;

/**
 * Asks a backend for endpoints the way the relay does (one {@code resolve} per connection) and
 * waits, with a deadline, for an expected answer.
 */
final class BackendProbe {

    /** What the tests time changes against: "changes apply to new connections within a second". */
    static final Duration CHANGE_DEADLINE = Duration.ofSeconds(1);

    private static final ClientConnection CONNECTION = ClientConnection.of(
            new InetSocketAddress("127.0.0.1", 40000), new InetSocketAddress("127.0.0.1", 10000));

    private BackendProbe() {
    }

    /** One resolve, as the relay would call it: must return at once. */
    static CompletableFuture<List<InetSocketAddress>> resolve(Backend backend) {
        long start = System.nanoTime();
        CompletableFuture<List<InetSocketAddress>> answer = backend.resolve(CONNECTION).toCompletableFuture();
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        // Generous for a loaded CI machine, far below any network or DNS wait.
        if (tookMillis > 200) {
            fail("resolve() blocked for " + tookMillis + " ms; it runs on the event loop");
        }
        return answer;
    }

    /** Polls until a completed resolve answers exactly {@code expected} (in any order). */
    static void awaitEndpoints(Backend backend, Duration deadline, Set<InetSocketAddress> expected) throws Exception {
        await(backend, deadline, answer -> !answer.isCompletedExceptionally()
                && new HashSet<>(answer.get()).equals(expected) && answer.get().size() == expected.size(),
                "expected " + expected);
    }

    /** Polls until resolve refuses with a message containing {@code fragment}. */
    static void awaitRefusal(Backend backend, Duration deadline, String fragment) throws Exception {
        await(backend, deadline, answer -> answer.isCompletedExceptionally()
                && String.valueOf(describe(answer)).contains(fragment),
                "expected a refusal containing [" + fragment + "]");
    }

    /** What a completed answer is checked for; may call {@code get()}. */
    private interface AnswerCheck {
        boolean test(CompletableFuture<List<InetSocketAddress>> answer) throws Exception;
    }

    /** Resolves every 5 ms until a completed answer passes {@code check}; fails at the deadline. */
    private static void await(Backend backend, Duration deadline, AnswerCheck check, String expectation)
            throws Exception {
        Object last = null;
        long end = System.nanoTime() + deadline.toNanos();
        do {
            CompletableFuture<List<InetSocketAddress>> answer = resolve(backend);
            if (answer.isDone()) {
                last = describe(answer);
                if (check.test(answer)) {
                    return;
                }
            }
            Thread.sleep(5);
        } while (System.nanoTime() < end);
        fail(expectation + " within " + deadline.toMillis() + " ms; last answer: " + last);
    }

    static Set<InetSocketAddress> addresses(String... hostPorts) {
        Set<InetSocketAddress> addresses = new HashSet<>();
        for (String hostPort : hostPorts) {
            HostPort parsed = EndpointParser.parse(hostPort);
            addresses.add(new InetSocketAddress(parsed.host(), parsed.port()));
        }
        return addresses;
    }

    static Object describe(CompletableFuture<List<InetSocketAddress>> answer) {
        try {
            return answer.getNow(null);
        } catch (Exception e) {
            Throwable cause = e instanceof ExecutionException || e.getCause() != null ? e.getCause() : e;
            return "refused: " + cause;
        }
    }
}
