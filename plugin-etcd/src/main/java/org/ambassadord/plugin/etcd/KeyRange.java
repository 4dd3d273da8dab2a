package org.ambassadord.plugin.etcd;

import java.nio.charset.StandardCharsets;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.WatchOption;

/**
 * The etcd key range of one spec, and the translation between jetcd's byte sequences and
 * the {@link NodeSnapshot}'s strings.
 *
 * <p>One range {@code [key, key + "0")} holds both the key itself and every key under
 * {@code key/} ('0' follows '/' in ASCII), so one read and one watch see the value and the
 * children at the same revision. The range also holds siblings such as {@code key-old};
 * {@link NodeSnapshot#covers} drops those.
 */
final class KeyRange {

    private final ByteSequence start;
    private final ByteSequence end;

    KeyRange(String key) {
        this.start = bytes(key);
        this.end = bytes(key + "0");
    }

    ByteSequence start() {
        return start;
    }

    /** The options of a read of the whole range. */
    GetOption readOption() {
        return GetOption.builder().withRange(end).build();
    }

    /**
     * The options of a watch of the whole range from {@code fromRevision}, with etcd's
     * periodic progress notifications (which also answer progress requests).
     */
    WatchOption watchOption(long fromRevision) {
        return WatchOption.builder()
                .withRange(end)
                .withRevision(fromRevision)
                .withProgressNotify(true)
                .build();
    }

    static NodeSnapshot.Node node(KeyValue keyValue) {
        return new NodeSnapshot.Node(string(keyValue.getKey()), string(keyValue.getValue()), keyValue.getModRevision());
    }

    static String string(ByteSequence bytes) {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }
}
