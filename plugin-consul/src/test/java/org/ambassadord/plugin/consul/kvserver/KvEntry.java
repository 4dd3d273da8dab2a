package org.ambassadord.plugin.consul.kvserver;

/**
 * One stored key, shaped like Consul's {@code DirEntry}.
 *
 * @param key         the full key
 * @param value       the raw bytes, {@code null} for a key written with an empty body
 *                    (Consul then sends {@code "Value": null})
 * @param flags       the opaque {@code ?flags=} number
 * @param createIndex the raft index that created the key
 * @param modifyIndex the raft index of the last write
 * @param lockIndex   how often the key was locked; always 0 here (no sessions)
 */
public record KvEntry(String key, byte[] value, long flags, long createIndex, long modifyIndex, long lockIndex) {
}
