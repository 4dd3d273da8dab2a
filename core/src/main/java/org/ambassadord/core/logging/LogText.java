package org.ambassadord.core.logging;

import org.ambassadord.spi.ProviderContext;

/**
 * Makes untrusted text (what a container wrote in a variable, label or name; a spec from a
 * store) safe to put in one log line: control characters become visible escapes, so a
 * newline cannot start a forged entry and an escape sequence cannot repaint the operator's
 * terminal, and the length is capped.
 */
public final class LogText {

    /** Longer text is cut; a spec or name that long is suspect anyway. */
    static final int MAX_LENGTH = 512;

    private LogText() {
    }

    /**
     * {@code a\nb} becomes {@code a\\nb}; other controls {@code \\u001b}; long text is cut with
     * "…": the SPI's {@link ProviderContext#printable}, which plugins use for their own lines.
     */
    public static String escape(String text) {
        return ProviderContext.printable(text);
    }

    /**
     * A message of several lines as one: each line stripped, the non-empty ones joined with
     * {@code separator}. One pass (a pattern such as {@code \\s*\\R\\s*} would retry from every
     * blank of a long run).
     */
    public static String joinLines(String text, String separator) {
        return text.lines().map(String::strip).filter(line -> !line.isEmpty())
                .collect(java.util.stream.Collectors.joining(separator));
    }

    /**
     * Control characters made visible, nothing else changed (no cap, backslashes kept): what
     * every log entry's message gets from {@link OneLineConsoleWriter}, so that one entry is
     * one line whoever logged it, a plugin's library included.
     */
    public static String withoutControls(String text) {
        int first = 0;
        while (first < text.length() && !isControl(text.charAt(first))) {
            first++;
        }
        if (first == text.length()) {
            return text;
        }
        StringBuilder visible = new StringBuilder(text.length() + 16).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            if (isControl(c)) {
                appendVisible(visible, c);
            } else {
                visible.append(c);
            }
        }
        return visible.toString();
    }

    /** A control character as {@code \\n}, {@code \\r}, {@code \\t} or {@code \\uXXXX}. */
    private static void appendVisible(StringBuilder out, char control) {
        switch (control) {
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            case '\t' -> out.append("\\t");
            default -> out.append(String.format("\\u%04x", (int) control));
        }
    }

    /** C0, DEL, C1, and the Unicode line and paragraph separators. */
    private static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
    }
}
