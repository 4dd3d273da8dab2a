package org.ambassadord.plugin.omni;

/**
 * Container-supplied text (a spec, a name, a label) made safe for one log line: control
 * characters become {@code \\uXXXX} escapes, so a newline in a label cannot forge a log
 * entry, and length is capped. The core escapes refusal reasons the same way when it logs
 * them; this covers omni's own lines.
 */
final class ContainerText {

    /** Longest spec a container may name; longer ones are refused, not opened. */
    static final int MAX_SPEC_LENGTH = 2048;
    private static final int MAX_LOGGED = 256;

    private ContainerText() {
    }

    static String printable(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_LOGGED) + 8);
        for (int i = 0; i < text.length() && out.length() < MAX_LOGGED; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029' || c == '\\') {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (text.length() > MAX_LOGGED) {
            out.append("…");
        }
        return out.toString();
    }
}
