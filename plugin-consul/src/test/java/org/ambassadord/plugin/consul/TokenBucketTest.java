package org.ambassadord.plugin.consul;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class TokenBucketTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final TokenBucket bucket = new TokenBucket(2, Duration.ofMillis(250), now::get);

    @Test
    void allowsABurstThenPacesAtTheRefillRate() {
        assertEquals(0, bucket.reserve());
        assertEquals(0, bucket.reserve());
        assertEquals(Duration.ofMillis(250).toNanos(), bucket.reserve());
        now.addAndGet(Duration.ofMillis(250).toNanos());
        assertEquals(Duration.ofMillis(250).toNanos(), bucket.reserve(), "the third call used the token that came back");
    }

    @Test
    void refillsUpToTheBurstOnly() {
        bucket.reserve();
        bucket.reserve();
        now.addAndGet(Duration.ofSeconds(60).toNanos());
        assertEquals(0, bucket.reserve());
        assertEquals(0, bucket.reserve());
        assertEquals(Duration.ofMillis(250).toNanos(), bucket.reserve());
    }
}
