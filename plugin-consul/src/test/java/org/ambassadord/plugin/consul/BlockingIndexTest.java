package org.ambassadord.plugin.consul;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BlockingIndexTest {

    private final BlockingIndex index = new BlockingIndex();

    @Test
    void startsAtZeroForAnImmediateFirstRead() {
        assertEquals(0, index.current());
    }

    @Test
    void followsAForwardIndex() {
        assertEquals(BlockingIndex.Update.ACCEPTED, index.update(42L));
        assertEquals(42, index.current());
        assertEquals(BlockingIndex.Update.ACCEPTED, index.update(42L), "an unchanged index is normal (wait elapsed)");
        assertEquals(BlockingIndex.Update.ACCEPTED, index.update(50L));
        assertEquals(50, index.current());
    }

    @Test
    void resetsToZeroWhenTheIndexGoesBackwards() {
        index.update(50L);
        assertEquals(BlockingIndex.Update.RESET_BACKWARDS, index.update(7L));
        assertEquals(0, index.current());
        assertEquals(BlockingIndex.Update.ACCEPTED, index.update(7L));
        assertEquals(7, index.current());
    }

    @Test
    void raisesAMissingOrZeroIndexToOne() {
        index.update(50L);
        assertEquals(BlockingIndex.Update.RAISED_TO_ONE, index.update(0L));
        assertEquals(1, index.current());
        assertEquals(BlockingIndex.Update.RAISED_TO_ONE, index.update(null));
        assertEquals(1, index.current());
    }

    @Test
    void resetForgetsTheIndex() {
        index.update(50L);
        index.reset();
        assertEquals(0, index.current());
    }
}
