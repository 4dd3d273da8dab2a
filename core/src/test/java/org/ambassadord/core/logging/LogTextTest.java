package org.ambassadord.core.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LogTextTest {

    @Test
    void plainTextIsReturnedAsIs() {
        String plain = "container [web (3f2a9c1b0d4e)] port [6379] backend [etcd://10.0.0.1:2379/app]";
        assertSame(plain, LogText.escape(plain));
    }

    @Test
    void aNewlineCannotForgeALogEntry() {
        String forged = "x\n2026-11-28 05:00:00.000 INFO  [main] ambassadord stopped";
        String escaped = LogText.escape(forged);
        assertEquals("x\\n2026-11-28 05:00:00.000 INFO  [main] ambassadord stopped", escaped);
        assertFalse(escaped.contains("\n"));
    }

    @Test
    void otherControlsBecomeVisible() {
        assertEquals("a\\r\\t\\u001b[31mred\\u0000\\u0085\\u2028\\\\", LogText.escape("a\r\t\u001b[31mred\u0000\u0085\u2028\\"));
    }

    @Test
    void longTextIsCut() {
        String escaped = LogText.escape("a".repeat(100_000));
        assertTrue(escaped.length() < LogText.MAX_LENGTH + 32, escaped.length() + " chars");
        assertTrue(escaped.endsWith("…(100000 chars)"), escaped.substring(escaped.length() - 20));
    }

    @Test
    void withoutControlsLeavesPlainTextAlone() {
        String plain = "listening on [*:6379] \\ C:\\path";
        assertSame(plain, LogText.withoutControls(plain));
    }

    @Test
    void withoutControlsKeepsEveryEntryOnOneLine() {
        String forged = "10.0.0.1:80\n2026-12-03 08:00:00.000 INFO  [main] FORGED\r\u001b[2J\u2028";
        assertEquals("10.0.0.1:80\\n2026-12-03 08:00:00.000 INFO  [main] FORGED\\r\\u001b[2J\\u2028",
                LogText.withoutControls(forged));
        String long_ = "x".repeat(100_000) + "\n";
        assertEquals(100_002, LogText.withoutControls(long_).length());
    }
}
