package org.ambassadord.plugin.consul.kvserver;

import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Renders KV answers the way Consul's HTTP API does: an array of entries with the fields of
 * {@code api.KVPair} ({@code LockIndex, Key, Flags, Value, CreateIndex, ModifyIndex}, plus
 * {@code Session} when a session holds the key, which never happens here), {@code Value}
 * base64 or {@code null}; or an array of key names for {@code ?keys}.
 */
final class KvJson {

    private KvJson() {
    }

    static String entries(List<KvEntry> entries) {
        return entries.stream().map(KvJson::entry).collect(Collectors.joining(",", "[", "]"));
    }

    static String keys(List<String> keys) {
        return keys.stream().map(KvJson::quote).collect(Collectors.joining(",", "[", "]"));
    }

    private static String entry(KvEntry entry) {
        String value = entry.value() == null ? "null" : quote(Base64.getEncoder().encodeToString(entry.value()));
        return "{\"LockIndex\":" + entry.lockIndex()
                + ",\"Key\":" + quote(entry.key())
                + ",\"Flags\":" + Long.toUnsignedString(entry.flags())
                + ",\"Value\":" + value
                + ",\"CreateIndex\":" + entry.createIndex()
                + ",\"ModifyIndex\":" + entry.modifyIndex() + "}";
    }

    /** A JSON string literal (RFC 8259 escaping). */
    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
