package org.ambassadord.plugin.consul;

import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;

/**
 * Percent-decoding of the key path in a spec and percent-encoding of a key for the request
 * URL. Not {@link java.net.URLDecoder}/{@link java.net.URLEncoder}: those speak HTML form
 * encoding, where {@code +} means a space, which is wrong in a path.
 */
final class KeyPaths {

    private static final String HEX = "0123456789ABCDEF";

    private KeyPaths() {
    }

    /**
     * Decodes {@code %XX} sequences as UTF-8.
     *
     * @throws IllegalArgumentException on a truncated or non-hex escape, or bytes that are not UTF-8
     */
    static String decode(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        int start = 0;
        while (start < raw.length()) {
            int percent = raw.indexOf('%', start);
            int end = percent < 0 ? raw.length() : percent;
            // Plain runs go through as a whole so that surrogate pairs stay together.
            bytes.writeBytes(raw.substring(start, end).getBytes(StandardCharsets.UTF_8));
            if (percent < 0) {
                break;
            }
            int high = percent + 2 < raw.length() ? Character.digit(raw.charAt(percent + 1), 16) : -1;
            int low = high >= 0 ? Character.digit(raw.charAt(percent + 2), 16) : -1;
            if (low < 0) {
                throw new IllegalArgumentException(
                        "bad escape [" + raw.substring(percent, Math.min(raw.length(), percent + 3)) + "]");
            }
            bytes.write(high * 16 + low);
            start = percent + 3;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("escapes in [" + raw + "] are not UTF-8", e);
        }
    }

    /**
     * Encodes a key for {@code /v1/kv/<key>}: RFC 3986 unreserved characters and {@code /}
     * stay as they are, everything else becomes {@code %XX}. consul-api appends the key to
     * the URL unencoded, so without this a key with {@code ?} or {@code #} would change the
     * request, and the result never contains a space, which consul-api would re-encode.
     */
    static String encode(String key) {
        StringBuilder out = new StringBuilder(key.length());
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (isUnreserved(c) || c == '/') {
                out.append(c);
            } else {
                out.append('%').append(HEX.charAt((b >> 4) & 0xf)).append(HEX.charAt(b & 0xf));
            }
        }
        return out.toString();
    }

    private static boolean isUnreserved(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
    }
}
