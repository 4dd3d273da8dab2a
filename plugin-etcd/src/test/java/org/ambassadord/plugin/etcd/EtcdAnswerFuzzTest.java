package org.ambassadord.plugin.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.etcd.jetcd.ByteSequence;

/**
 * What an etcd server answers, which a container may have chosen in omni mode: keys of any
 * bytes (invalid UTF-8 among them) and values of any text. A key the server returns for the
 * range {@link KeyRange} asks for is taken only when its bytes are the spec's key or under
 * {@code key/} — never a sibling such as {@code key-old}, whatever its UTF-8 decodes to; and
 * {@link BackendResolver} turns any value into addresses or skips it, never throws, never
 * looks up a literal, and counts a value above the cap.
 */
class EtcdAnswerFuzzTest {

    private static final InetAddress NAMED = InetAddress.getLoopbackAddress();

    @FuzzTest(maxDuration = "10s")
    @DictionaryEntries({"/app/web", "/app/web/", "/app/web-old", "/", ",", ":", "[", "]", "::1", "127.0.0.1", "%",
        "\\xef\\xbf\\xbd", "\\xff", "0", "65535", "65536", "localhost"})
    void keysStayInTheirTreeAndValuesResolveOrAreSkipped(FuzzedDataProvider data) {
        String key = data.consumeBoolean() ? "/app/web" : data.consumeString(64);
        if (key.isEmpty()) {
            return;
        }
        KeyRange range = new KeyRange(key);
        NodeSnapshot snapshot = new NodeSnapshot(key);
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        List<NodeSnapshot.Node> nodes = new ArrayList<>();
        int count = data.consumeInt(0, 8);
        for (int i = 0; i < count; i++) {
            byte[] stored = data.consumeBoolean() ? concat(keyBytes, data.consumeBytes(16)) : data.consumeBytes(32);
            if (!inRange(stored, range)) {
                continue; // etcd returns only keys of the range
            }
            String decoded = KeyRange.string(ByteSequence.from(stored));
            if (snapshot.covers(decoded)) {
                assertTrue(Arrays.equals(stored, keyBytes) || startsWith(stored, concat(keyBytes, new byte[] {'/'})),
                        "a key outside the tree was taken: " + Arrays.toString(stored) + " for " + key);
            }
            nodes.add(new NodeSnapshot.Node(decoded, data.consumeBoolean() ? data.consumeString(512)
                    : "x".repeat(BackendResolver.MAX_VALUE_CHARS + 1), i + 1));
        }
        snapshot.replaceAll(nodes);
        BackendResolver resolver = new BackendResolver(key, host -> {
            if (host.isEmpty() || host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'))) {
                throw new AssertionError("a literal or an empty host was looked up: [" + host + "]");
            }
            if (host.hashCode() % 2 == 0) {
                throw new UnknownHostException(host);
            }
            return NAMED;
        });
        List<InetSocketAddress> addresses = resolver.addressesOf(snapshot.backendNodes());
        addresses.forEach(address -> assertTrue(address.getPort() >= 1 && address.getPort() <= 65535, address.toString()));
        long oversized = snapshot.backendNodes().stream().filter(node -> node.value().length() > BackendResolver.MAX_VALUE_CHARS)
                .count();
        assertEquals(oversized, resolver.valuesRefused());
    }

    /** etcd's range is on bytes, unsigned: {@code start <= k < end}. */
    private static boolean inRange(byte[] stored, KeyRange range) {
        byte[] start = range.start().getBytes();
        byte[] end = concat(start, new byte[] {'0'});
        return Arrays.compareUnsigned(stored, start) >= 0 && Arrays.compareUnsigned(stored, end) < 0;
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        return bytes.length >= prefix.length && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }
}
