package org.ambassadord.spi;

/**
 * {@link ProviderContext#printable}: the project's one escaper for text from outside on its way
 * into a log line or a message. One pass, at most {@value #MAX_LENGTH} characters kept.
 */
final class PrintableText {

    /** Longer text is cut; a spec, key or name that long is suspect anyway. */
    static final int MAX_LENGTH = 512;

    private PrintableText() {
    }

    static String escape(String text) {
        if (text == null) {
            return "null";
        }
        if (isPlain(text)) {
            return text;
        }
        StringBuilder escaped = new StringBuilder(Math.min(text.length(), MAX_LENGTH) + 16);
        for (int i = 0; i < text.length() && escaped.length() < MAX_LENGTH; i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                escaped.append("\\\\");
            } else if (isControl(c)) {
                appendVisible(escaped, c);
            } else {
                escaped.append(c);
            }
        }
        if (escaped.length() >= MAX_LENGTH) {
            escaped.setLength(MAX_LENGTH);
            escaped.append("…(").append(text.length()).append(" chars)");
        }
        return escaped.toString();
    }

    /** A control character as {@code \\n}, {@code \\r}, {@code \\t} or {@code \\uXXXX}. */
    static void appendVisible(StringBuilder out, char control) {
        switch (control) {
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            case '\t' -> out.append("\\t");
            default -> out.append("\\u").append(HEX[control >> 12 & 0xf]).append(HEX[control >> 8 & 0xf])
                    .append(HEX[control >> 4 & 0xf]).append(HEX[control & 0xf]);
        }
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private static boolean isPlain(String text) {
        if (text.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' || isControl(c)) {
                return false;
            }
        }
        return true;
    }

    /** C0, DEL, C1, and the Unicode line and paragraph separators. */
    static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
    }
}
