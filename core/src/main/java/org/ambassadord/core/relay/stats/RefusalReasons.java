package org.ambassadord.core.relay.stats;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import org.ambassadord.core.policy.UpstreamDeniedException;

/** Sorts a backend's refusal into a {@link RefusalReason} by the exception it failed with. */
public final class RefusalReasons {

    private RefusalReasons() {
    }

    public static RefusalReason of(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause instanceof UpstreamDeniedException ? RefusalReason.UPSTREAM_DENIED : RefusalReason.BACKEND;
    }
}
