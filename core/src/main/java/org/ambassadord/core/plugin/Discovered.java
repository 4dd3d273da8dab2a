package org.ambassadord.core.plugin;

/**
 * A service implementation found at start-up and where it came from.
 *
 * @param service the instance
 * @param module  the name of the module that provides it ("unnamed" on the class path)
 * @param version the module's version, or {@code -} when it has none
 * @param origin  {@code built-in}, or the plugin jar or folder it was loaded from
 */
public record Discovered<S>(S service, String module, String version, String origin) {
}
