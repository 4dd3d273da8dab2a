package org.ambassadord.plugin.omni;

import org.ambassadord.spi.ProviderContext;

/**
 * Container-supplied text (a spec, a name, a label): how long it may be, and its form for one
 * log line ({@link ProviderContext#printable}, the escaper the whole project uses), so that a
 * newline in a label cannot forge a log entry.
 */
final class ContainerText {

    /** Longest spec a container may name; longer ones are refused, not opened. */
    static final int MAX_SPEC_LENGTH = 2048;

    private ContainerText() {
    }

    static String printable(String text) {
        return ProviderContext.printable(text);
    }
}
