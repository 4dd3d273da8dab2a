package org.ambassadord.core.cli;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import org.ambassadord.core.relay.NativeWarmUp;

/**
 * Work every relaying start needs, done on a second thread while the main thread parses the
 * command line (JCommander's reflection is the longest step of start-up) instead of after it:
 * binding the relay's native calls, and loading the time-zone rules and date-formatting
 * classes the first log line's time stamp needs. Both are cached by the JDK or by the relay, so
 * the main thread later finds them ready, or waits for them instead of doing them twice.
 * Start-up is on the critical path of every container start (docs/PERFORMANCE.md).
 */
final class StartupWarmUp {

    private StartupWarmUp() {
    }

    static void start() {
        Thread thread = new Thread(StartupWarmUp::run, "startup-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    private static void run() {
        NativeWarmUp.bind();
        // In the default locale, as tinylog formats the date.
        DateTimeFormatter.ofPattern(LoggingSetup.DATE_PATTERN, Locale.getDefault()).format(ZonedDateTime.now());
    }
}
