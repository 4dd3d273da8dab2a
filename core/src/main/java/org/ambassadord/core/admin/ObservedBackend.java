package org.ambassadord.core.admin;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;

import org.ambassadord.core.backend.ForwardingBackend;
import org.ambassadord.spi.Backend;
import org.ambassadord.spi.ClientConnection;

/**
 * The operator's backend, watched from outside for the admin endpoint: the endpoints of its
 * latest answer, when that set last changed, how many answers were errors, the last error and
 * since when. Nothing here asks the backend anything; it only looks at the answers the relay
 * gets anyway.
 *
 * <p>{@link #resolve} runs on the event loops: for an answer that is already there (the usual
 * case) it costs one reference comparison; a changed set is copied once. Fields are written by
 * whichever loop saw the answer last, which is the point: the latest answer wins.
 */
public final class ObservedBackend extends ForwardingBackend {

    /** One answer's endpoints and when that set was first seen. */
    public record Answer(List<InetSocketAddress> endpoints, long sinceMillis) {
    }

    /** An error answer and when errors began (reset by the next good answer). */
    public record Failure(String message, long sinceMillis) {
    }

    private final String spec;
    private final LongAdder errors = new LongAdder();
    private volatile List<InetSocketAddress> lastList;
    private volatile Answer answer;
    private volatile Failure failure;

    public ObservedBackend(Backend inner, String spec) {
        super(inner);
        this.spec = spec;
    }

    @Override
    public CompletionStage<List<InetSocketAddress>> resolve(ClientConnection connection) {
        CompletionStage<List<InetSocketAddress>> stage = inner.resolve(connection);
        if (stage instanceof CompletableFuture<List<InetSocketAddress>> future && future.isDone()) {
            // getNow would throw for a refusal answered at once (omni: "defines no backend"),
            // which the relay would then log as a failed connection instead of a refusal.
            if (future.isCompletedExceptionally()) {
                record(null, exceptionOf(future));
            } else {
                record(future.getNow(null), null);
            }
            return stage;
        }
        return stage.whenComplete(this::record);
    }

    private void record(List<InetSocketAddress> endpoints, Throwable error) {
        if (error != null) {
            errors.increment();
            if (failure == null) {
                failure = new Failure(messageOf(error), System.currentTimeMillis());
            }
            return;
        }
        failure = null;
        if (endpoints != lastList) {
            lastList = endpoints;
            Answer previous = answer;
            if (previous == null || !previous.endpoints().equals(endpoints)) {
                answer = new Answer(List.copyOf(endpoints), System.currentTimeMillis());
            }
        }
    }

    private static Throwable exceptionOf(CompletableFuture<?> future) {
        try {
            future.join();
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }

    private static String messageOf(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && (cause.getMessage() == null || cause instanceof java.util.concurrent.CompletionException)) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    /** The spec as the operator wrote it. */
    public String spec() {
        return spec;
    }

    /** The latest answer with endpoints, or null before the first. */
    public Answer answer() {
        return answer;
    }

    /** The current run of errors, or null when the latest answer was good. */
    public Failure failure() {
        return failure;
    }

    public long errors() {
        return errors.sum();
    }






}
