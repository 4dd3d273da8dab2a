package org.ambassadord.plugin.srv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The SRV answer cache under any sequence of look-up outcomes (answers with entries and any
 * TTL, "no such service" answers, failures in a row): one look-up at a time; an answer is
 * served at once and looked up again after its TTL; a failure keeps the last answer (or,
 * before any, refuses with the failure) and retries after 1, 2, 4 … s, never more than 30 s;
 * after close nothing is scheduled again.
 */
class SrvAnswerCacheFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void anySequenceOfOutcomesIsServedAndPacedByTheRules(FuzzedDataProvider data) throws Exception {
        ManualScheduler scheduler = new ManualScheduler();
        AtomicReference<CompletableFuture<SrvAnswer>> outcome = new AtomicReference<>();
        SrvAnswerCache cache = new SrvAnswerCache("_redis._tcp.app.test", outcome::get, scheduler);
        cache.start();
        SrvAnswer served = null;
        int streak = 0;
        int steps = data.consumeInt(1, 40);
        for (int step = 0; step < steps && data.remainingBytes() > 0; step++) {
            assertEquals(1, scheduler.pending().size(), "one look-up at a time");
            SrvAnswer answer = null;
            switch (data.consumeInt(0, 2)) {
                case 0 -> answer = SrvAnswer.of(List.of(new SrvEntry(data.consumeInt(0, 65535), data.consumeInt(0, 65535),
                        data.consumeInt(1, 65535), "t.app.test", List.of(InetAddress.getLoopbackAddress()))),
                        Duration.ofSeconds(data.consumeLong(1, 1L << 31)));
                case 1 -> answer = SrvAnswer.none("DNS name [_redis._tcp.app.test] does not exist (NXDOMAIN)",
                        Duration.ofSeconds(data.consumeLong(1, 30)));
                default -> { }
            }
            outcome.set(answer != null ? CompletableFuture.completedFuture(answer)
                    : CompletableFuture.failedFuture(new DnsLookupException("timed out (asking the fuzzer)")));
            scheduler.runNext();
            ManualScheduler.Pending next = scheduler.pending().get(0);
            if (answer != null) {
                streak = 0;
                served = answer;
                assertSame(answer, cache.current());
                assertEquals(answer.ttl(), next.delay(), "looked up again after the TTL");
            } else {
                streak++;
                if (served != null) {
                    assertSame(served, cache.current(), "a failure keeps the last answer");
                } else {
                    assertTrue(cache.current().isEmpty() && cache.current().refusal().contains("no DNS answer"),
                            cache.current().toString());
                }
                long expected = Math.min(SrvAnswerCache.FIRST_RETRY.toMillis() << Math.min(streak - 1, 16),
                        SrvAnswerCache.MAX_RETRY.toMillis());
                assertEquals(Duration.ofMillis(expected), next.delay(), "backoff after " + streak + " failures");
            }
            assertEquals(streak, cache.failureStreak());
            assertSame(cache.current(), cache.answer().toCompletableFuture().getNow(null), "served at once");
        }
        cache.close();
        List<ManualScheduler.Pending> left = new ArrayList<>(scheduler.pending());
        assertTrue(left.stream().allMatch(ManualScheduler.Pending::isCancelled), "a look-up is still scheduled after close");
    }
}
