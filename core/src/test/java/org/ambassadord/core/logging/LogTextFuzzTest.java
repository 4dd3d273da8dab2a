package org.ambassadord.core.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The log escaper on any text: nothing it returns can end a log line or drive a terminal, the
 * per-value form stays within its cap, and text without controls passes the log writer's form
 * unchanged.
 */
class LogTextFuzzTest {

    @FuzzTest(maxDuration = "10s")
    @DictionaryEntries({"\n", "\r", "\u001b[", "\u0085", "\u2028", "\u2029", "\\", "\\n", "\u0000", "\u007f"})
    void escapedTextIsOneHarmlessLine(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        for (String shown : new String[] {LogText.escape(text), LogText.withoutControls(text)}) {
            assertTrue(shown.chars().noneMatch(c -> c < 0x20 || c >= 0x7f && c <= 0x9f || c == 0x2028 || c == 0x2029),
                    shown);
        }
        assertTrue(LogText.escape(text).length() <= LogText.MAX_LENGTH + 32);
        if (text.chars().noneMatch(c -> c < 0x20 || c >= 0x7f && c <= 0x9f || c == 0x2028 || c == 0x2029)) {
            assertEquals(text, LogText.withoutControls(text));
        }
    }
}
