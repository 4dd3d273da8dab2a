package org.ambassadord.core.cli;

import java.util.Locale;
import java.util.Set;

import org.ambassadord.core.logging.OneLineConsoleWriter;
import org.tinylog.configuration.Configuration;

/**
 * Configures tinylog before the first log line. Log lines go to standard error through
 * tinylog's writing thread, so an event loop that logs a refused connection never waits for
 * the console.
 */
final class LoggingSetup {

    /** The time stamp of the default format (StartupWarmUp prepares its formatting). */
    static final String DATE_PATTERN = "yyyy-MM-dd HH:mm:ss.SSS";
    static final String DEFAULT_FORMAT = "{date:" + DATE_PATTERN + "} {level|min-size=5} [{thread}] {message}";
    private static final Set<String> LEVELS = Set.of("trace", "debug", "info", "warn", "error", "off");

    /** Set once logging is configured, cleared by the shutdown: makes shutdown idempotent. */
    private static final java.util.concurrent.atomic.AtomicBoolean RUNNING = new java.util.concurrent.atomic.AtomicBoolean();

    private LoggingSetup() {
    }

    /** The level, lowercased, or an error message in brackets style. */
    static String validLevel(String level) {
        String lower = level.toLowerCase(Locale.ROOT);
        if (!LEVELS.contains(lower)) {
            throw new IllegalArgumentException("--log-level [" + level + "] is not one of [trace, debug, info, warn, error, off]");
        }
        return lower;
    }

    /**
     * Applies the level and format. tinylog freezes its configuration at the first log line;
     * a second call in the same process (tests) keeps the first configuration.
     */
    static void configure(String level, String format) {
        if (Configuration.isFrozen()) {
            return;
        }
        RUNNING.set(true);
        // tinylog's console writer behind one that keeps each entry on one line.
        Configuration.set("writer", OneLineConsoleWriter.class.getName());
        Configuration.set("writer.stream", "err");
        Configuration.set("writer.level", level);
        Configuration.set("writer.format", format);
        Configuration.set("writingthread", "true");
        // Shut down by GracefulStop after its last line, not by tinylog's own hook, which
        // would race it and lose the drain report.
        Configuration.set("autoshutdown", "false");
    }

    /** Flushes and stops the writing thread; the last call of the process. */
    static void shutdown() {
        if (!RUNNING.getAndSet(false)) {
            return;
        }
        try {
            org.tinylog.provider.ProviderRegistry.getLoggingProvider().shutdown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
