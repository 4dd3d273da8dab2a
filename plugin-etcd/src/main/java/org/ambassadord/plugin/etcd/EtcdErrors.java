package org.ambassadord.plugin.etcd;

import java.util.concurrent.CompletionException;

import io.etcd.jetcd.common.exception.CompactedException;

/**
 * Reading the errors jetcd hands out: futures wrap them in {@link CompletionException}s and
 * jetcd in its own exceptions, and gRPC messages may span lines.
 */
final class EtcdErrors {

    private EtcdErrors() {
    }

    /** The compaction somewhere in the cause chain, or {@code null}. */
    static CompactedException compactionIn(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof CompactedException compacted) {
                return compacted;
            }
        }
        return null;
    }

    /** One line for the log: the type and message of the error under future wrappers. */
    static String describe(Throwable error) {
        Throwable cause = error;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message.replaceAll("\\s*\\R\\s*", "; "));
    }
}
