package org.ambassadord.core.logging;

import java.util.Collection;
import java.util.Map;

import org.tinylog.core.LogEntry;
import org.tinylog.core.LogEntryValue;
import org.tinylog.writers.ConsoleWriter;
import org.tinylog.writers.Writer;

/**
 * tinylog's console writer, with control characters in every message made visible
 * ({@link LogText#withoutControls}): one log entry is one line, whoever wrote the message. A
 * value a store, an engine or a container handed us may hold a newline or a terminal escape,
 * and it reaches log lines through plugins and their libraries as well as through the core;
 * escaping here covers them all, where escaping at each call would miss one. The exception
 * of an entry (its stack trace) keeps its lines.
 *
 * <p>Called on tinylog's writing thread only. Named in {@code LoggingSetup} by its class name;
 * tinylog finds it through {@code META-INF/services/org.tinylog.writers.Writer}.
 */
public final class OneLineConsoleWriter implements Writer {

    private final ConsoleWriter console;

    /** @param properties the writer's configuration, as for tinylog's console writer */
    public OneLineConsoleWriter(Map<String, String> properties) {
        this.console = new ConsoleWriter(properties);
    }

    @Override
    public Collection<LogEntryValue> getRequiredLogEntryValues() {
        return console.getRequiredLogEntryValues();
    }

    @Override
    public void write(LogEntry entry) throws Exception {
        String message = entry.getMessage();
        String visible = message == null ? null : LogText.withoutControls(message);
        if (visible == message) {
            console.write(entry);
            return;
        }
        console.write(new LogEntry(entry.getTimestamp(), entry.getThread(), entry.getContext(), entry.getClassName(),
                entry.getMethodName(), entry.getFileName(), entry.getLineNumber(), entry.getTag(), entry.getLevel(),
                visible, entry.getException()));
    }

    @Override
    public void flush() throws Exception {
        console.flush();
    }

    @Override
    public void close() throws Exception {
        console.close();
    }
}
