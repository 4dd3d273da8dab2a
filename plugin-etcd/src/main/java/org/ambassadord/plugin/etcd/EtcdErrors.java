package org.ambassadord.plugin.etcd;

import java.util.concurrent.CompletionException;

import org.ambassadord.spi.ProviderContext;

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

    /**
     * One line for the log: the type and message of the error under future wrappers. The message
     * may carry the server's own words (a gRPC status a container's etcd chose): its lines are
     * joined with "; " in one pass (no regular expression) and what remains is escaped and capped.
     */
    static String describe(Throwable error) {
        Throwable cause = error;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        if (message == null) {
            return cause.getClass().getSimpleName();
        }
        String joined = message.lines().map(String::strip).filter(line -> !line.isEmpty())
                .collect(java.util.stream.Collectors.joining("; "));
        return cause.getClass().getSimpleName() + ": " + ProviderContext.printable(joined);
    }
}
