package org.ambassadord.plugin.consul;

/**
 * One Consul KV entry as the watcher needs it: the key and its decoded value.
 *
 * @param key   the full key, as Consul returns it
 * @param value the value decoded from base64 as UTF-8, or {@code null} when Consul sent no
 *              value (a "folder" key made by the UI, or a key written without a body)
 */
record KvPair(String key, String value) {
}
