package org.ambassadord.core.relay.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** Deadlines in lanes of one delay each: order, cancellation, the select timeout. */
class LoopTimersTest {

    private final LoopTimers timers = new LoopTimers();
    private final List<String> ran = new ArrayList<>();

    @Test
    void noTimerMeansBlock() {
        assertEquals(0, timers.millisUntilNext());
    }

    @Test
    void dueTimersRunInDeadlineOrderAcrossLanes() throws InterruptedException {
        timers.schedule(TimeUnit.MILLISECONDS.toNanos(30), () -> ran.add("30 ms"));
        timers.schedule(TimeUnit.MILLISECONDS.toNanos(10), () -> ran.add("10 ms"));
        timers.schedule(TimeUnit.MILLISECONDS.toNanos(10), () -> ran.add("10 ms, second"));
        timers.schedule(TimeUnit.HOURS.toNanos(1), () -> ran.add("an hour"));
        long wait = timers.millisUntilNext();
        assertTrue(wait >= 1 && wait <= 10, "the 10 ms lane's head decides the wait, got " + wait);

        Thread.sleep(40);
        timers.runExpired(new LoopFailures("test"));

        // Lanes run one after the other; within a lane, in the order scheduled.
        assertTrue(ran.containsAll(List.of("10 ms", "10 ms, second", "30 ms")), ran.toString());
        assertTrue(ran.indexOf("10 ms") < ran.indexOf("10 ms, second"), ran.toString());
        assertEquals(3, ran.size(), "the hour is not up: " + ran);
    }

    @Test
    void cancelledTimersNeverRunAndLeaveTheLaneAtOnce() throws InterruptedException {
        LoopTimers.Timer first = timers.schedule(TimeUnit.MILLISECONDS.toNanos(5), () -> ran.add("first"));
        LoopTimers.Timer middle = timers.schedule(TimeUnit.MILLISECONDS.toNanos(5), () -> ran.add("middle"));
        timers.schedule(TimeUnit.MILLISECONDS.toNanos(5), () -> ran.add("last"));
        LoopTimers.Timer alone = timers.schedule(TimeUnit.SECONDS.toNanos(5), () -> ran.add("alone"));
        middle.cancel();
        first.cancel();
        first.cancel();
        alone.cancel();

        Thread.sleep(10);
        timers.runExpired(new LoopFailures("test"));

        assertEquals(List.of("last"), ran);
        assertEquals(0, timers.millisUntilNext(), "every lane is empty");
    }

    @Test
    void aTimerMayScheduleAnotherOfItsOwnDelay() throws InterruptedException {
        long delay = TimeUnit.MILLISECONDS.toNanos(2);
        timers.schedule(delay, () -> {
            ran.add("first");
            timers.schedule(delay, () -> ran.add("again"));
        });
        Thread.sleep(5);
        timers.runExpired(new LoopFailures("test"));
        assertEquals(List.of("first"), ran, "the new timer is not due yet");
        Thread.sleep(5);
        timers.runExpired(new LoopFailures("test"));
        assertEquals(List.of("first", "again"), ran);
    }
}
