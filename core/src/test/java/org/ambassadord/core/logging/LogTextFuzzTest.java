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
    // libFuzzer's dictionary syntax: bytes as \xNN (a raw newline would end the entry).
    @DictionaryEntries({"\\x0A", "\\x0D", "\\x1B[", "\\xC2\\x85", "\\xE2\\x80\\xA8", "\\xE2\\x80\\xA9", "\\\\", "\\x00", "\\x7F"})
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
