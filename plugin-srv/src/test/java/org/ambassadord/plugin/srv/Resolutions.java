package org.ambassadord.plugin.srv;

import static org.junit.jupiter.api.Assertions.fail;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.ambassadord.spi.Backend;
import org.ambassadord.spi.ClientConnection;

/** Helpers to ask a backend for endpoints the way the relay does, with deadlines. */
final class Resolutions {

    static final ClientConnection CONNECTION = ClientConnection.of(
            new InetSocketAddress("127.0.0.1", 40000), new InetSocketAddress("127.0.0.1", SrvBackend.LISTEN_PORT));
    static final Duration DEADLINE = Duration.ofSeconds(10);

    private Resolutions() {
    }

    /** The endpoints for one connection, waiting for the first answer if need be. */
    static List<InetSocketAddress> resolve(Backend backend) throws Exception {
        return backend.resolve(CONNECTION).toCompletableFuture().get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    }

    /** The refusal message of one connection, failing if the connection was not refused. */
    static String refusal(Backend backend) throws Exception {
        try {
            List<InetSocketAddress> endpoints = resolve(backend);
            return fail("expected a refusal, got " + endpoints);
        } catch (ExecutionException refused) {
            return refused.getCause().getMessage();
        }
    }

    /** The outcome of one connection: its endpoints, or "refused: reason". */
    static Object outcome(Backend backend) throws Exception {
        try {
            return resolve(backend);
        } catch (ExecutionException refused) {
            return "refused: " + refused.getCause().getMessage();
        }
    }

    /** Polls {@link #outcome} until it equals {@code expected}, failing with the last outcome at the deadline. */
    static void awaitOutcome(Backend backend, Object expected, String description) throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        Object last = outcome(backend);
        while (!expected.equals(last)) {
            if (System.nanoTime() > deadline) {
                fail("within " + DEADLINE + " expected " + description + " " + expected + "; last outcome " + last);
            }
            Thread.sleep(50);
            last = outcome(backend);
        }
    }

    /** Polls a condition until true, failing with the description at the deadline. */
    static void await(java.util.function.BooleanSupplier condition, String description) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("within " + DEADLINE + " expected " + description);
            }
            Thread.sleep(20);
        }
    }
}
