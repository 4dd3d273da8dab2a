package org.ambassadord.core.cli;

import java.lang.reflect.Field;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.ambassadord.core.relay.socket.NativeWarmUp;


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
        makeAnnotationProxies();
        NativeWarmUp.bind();
        // In the default locale, as tinylog formats the date.
        DateTimeFormatter.ofPattern(LoggingSetup.DATE_PATTERN, Locale.getDefault()).format(ZonedDateTime.now());
    }

    /**
     * JCommander reads the options' annotations and, looking for {@code @SubParameter}, those of
     * the fields of every option value's type ({@code String}'s {@code @Stable}); the JVM
     * generates a proxy class for each annotation type the first time one is read, and no AOT
     * cache holds those (docs/PERFORMANCE.md). Reading the same annotations here makes them
     * while the main thread starts up; JCommander then finds them made, or waits for them.
     */
    private static void makeAnnotationProxies() {
        Options.class.getAnnotations();
        for (Class<?> type : new Class<?>[] {Options.class, String.class}) {
            for (Field field : type.getDeclaredFields()) {
                field.getAnnotations();
            }
        }
    }
}
