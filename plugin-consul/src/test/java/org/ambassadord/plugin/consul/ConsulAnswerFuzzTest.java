package org.ambassadord.plugin.consul;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * What an agent answers, which a container may have chosen in omni mode: the keys and values
 * of a recursive read go through the seed's children-or-value rule and the endpoint parser,
 * its error status and body through the failure description (one line, capped), and the
 * indexes through the blocking-index rules. Nothing throws but a refusal, the index
 * never goes below 1 or backwards without a reset, and every chosen value comes from the key's
 * own tree.
 */
class ConsulAnswerFuzzTest {

    @FuzzTest(maxDuration = "10s")
    @DictionaryEntries({"app/web", "app/web/", "/", ",", ":", "[", "]", "::1", "127.0.0.1", "%", "0", "-1"})
    void answersAreChosenParsedAndIndexedSafely(FuzzedDataProvider data) {
        String key = "app/web";
        List<KvPair> pairs = new ArrayList<>();
        int count = data.consumeInt(0, 16);
        for (int i = 0; i < count; i++) {
            pairs.add(new KvPair(data.consumeString(256), data.consumeBoolean() ? null : data.consumeString(4096)));
        }
        BackendValues chosen = BackendValues.select(key, pairs);
        for (KvPair pair : chosen.values()) {
            assertTrue(pair.key().equals(key) || pair.key().startsWith(key + "/"), pair.key());
            for (String item : pair.value().split(",")) {
                try {
                    HostPort parsed = HostPort.parse(item);
                    assertTrue(parsed.port() >= 1 && parsed.port() <= 65535, item);
                } catch (IllegalArgumentException refused) {
                    assertTrue(refused.getMessage() != null, item);
                }
            }
        }
        // The agent's error: status line and body are its own text, reported as one capped line.
        String described = KvWatcher.describe(new com.ecwid.consul.v1.OperationException(data.consumeInt(100, 599),
                data.consumeString(256), data.consumeString(8192)));
        assertTrue(described.chars().noneMatch(c -> c < 0x20 || c == 0x7f) && described.length() <= 2 * 512 + 64, described);
        BlockingIndex index = new BlockingIndex();
        while (data.remainingBytes() >= 8) {
            long before = index.current();
            Long answered = data.consumeBoolean() ? null : data.consumeLong();
            BlockingIndex.Update update = index.update(answered);
            String step = before + " -> " + index.current() + " on " + answered + " (" + update + ")";
            switch (update) {
                case ACCEPTED -> assertTrue(index.current() >= before && index.current() >= 1, step);
                case RESET_BACKWARDS -> assertTrue(index.current() == 0 && answered != null && answered < before, step);
                case RAISED_TO_ONE -> assertTrue(index.current() == 1 && (answered == null || answered < 1), step);
            }
        }
    }
}
