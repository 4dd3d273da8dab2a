package org.ambassadord.core.cli;

import java.util.Optional;

/**
 * Says once when the launcher asked for the image's AOT cache and the JVM did not map it. The
 * JVM refuses a cache trained with other options (a different GC, compact object headers,
 * other modules in {@code JAVA_OPTS}) and starts without it; the launcher silences the JVM's
 * own report of that (several lines at error level on every start) so that this one line,
 * in the relay's log format, is all an operator sees: start-up is slower, nothing else changes.
 */
final class AotCacheCheck {

    /** Set by the launcher to the cache it passed in {@code -XX:AOTCache}. */
    static final String CACHE_PROPERTY = "ambassadord.aot";

    private AotCacheCheck() {
    }

    /** The warning for this JVM, if the cache was asked for and is not in use. */
    static Optional<String> warning() {
        return warning(System.getProperty(CACHE_PROPERTY), System.getProperty("java.vm.info", ""));
    }

    /**
     * @param cache  the cache the launcher asked for, or null
     * @param vmInfo {@code java.vm.info}: HotSpot says "sharing" there while an archive is mapped
     */
    static Optional<String> warning(String cache, String vmInfo) {
        if (cache == null || vmInfo.contains("sharing")) {
            return Optional.empty();
        }
        return Optional.of("AOT cache [" + cache + "] not used: the JVM options differ from those it was trained with"
                + " (JAVA_OPTS?); starting without it, more slowly (JAVA_OPTS=-Xlog:aot says why)");
    }
}
