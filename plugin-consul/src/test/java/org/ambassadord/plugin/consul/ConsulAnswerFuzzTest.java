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
 * and the indexes through the blocking-index rules. Nothing throws but a refusal, the index
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
