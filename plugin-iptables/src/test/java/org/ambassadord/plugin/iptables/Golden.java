package org.ambassadord.plugin.iptables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Compares rendered text with a file under {@code src/test/resources/.../golden}. */
final class Golden {

    private Golden() {
    }

    static void assertMatches(String goldenName, String actual) {
        assertEquals(read(goldenName), actual, "rendered text differs from golden/" + goldenName);
    }

    static String read(String goldenName) {
        try (InputStream in = Golden.class.getResourceAsStream("golden/" + goldenName)) {
            assertNotNull(in, "missing golden file golden/" + goldenName);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
