package org.ambassadord.core.plugin;

/**
 * A plugin that could not be loaded; the others are loaded regardless.
 *
 * @param plugin the jar or folder name in the plugins directory
 * @param reason one line saying why
 */
public record PluginFailure(String plugin, String reason) {
}
