package org.ambassadord.core.relay.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class BufferPoolTest {

    @Test
    void atTheCeilingFlowsQueueAndAreWokenOnePerReleaseInOrder() {
        BufferPool pool = new BufferPool(1024, 4, 2);
        ByteBuffer first = pool.acquire();
        ByteBuffer second = pool.acquire();
        assertNotNull(first);
        assertNotNull(second);
        assertNull(pool.acquire(), "a third buffer would pass the ceiling");

        List<String> woken = new ArrayList<>();
        pool.await(() -> woken.add("a"));
        pool.await(() -> woken.add("b"));
        assertEquals(2, pool.waits());

        pool.release(first);
        assertEquals(List.of("a"), woken);
        assertNotNull(pool.acquire(), "the woken flow gets the released buffer");
        pool.release(second);
        assertEquals(List.of("a", "b"), woken);
    }

    @Test
    void aCancelledWaiterIsNeverWoken() {
        BufferPool pool = new BufferPool(1024, 4, 1);
        ByteBuffer only = pool.acquire();
        List<String> woken = new ArrayList<>();
        Runnable closed = () -> woken.add("closed");
        pool.await(closed);
        pool.await(() -> woken.add("open"));
        pool.cancel(closed);
        pool.release(only);
        assertEquals(List.of("open"), woken);
    }

    @Test
    void theBudgetIsThreeQuartersOfTheLimitSharedByLoops() {
        DirectMemoryBudget budget = DirectMemoryBudget.ofLimit(8L << 20);
        assertEquals(24, budget.buffersPerLoop(256 * 1024, 1));
        assertEquals(12, budget.buffersPerLoop(256 * 1024, 2));
        assertEquals(1, DirectMemoryBudget.ofLimit(1024).buffersPerLoop(128 * 1024, 2), "never below one");
    }
}
