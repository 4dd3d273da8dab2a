package org.ambassadord.core.fairness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The wait queue's order and bound, and the endpoint counts it waits on. */
class EndpointQueueTest {

    @Test
    void freedSlotsWakeWaitersFirstInFirstOutAndARequeuedOneKeepsItsTurn() {
        EndpointQueue queue = new EndpointQueue(3);
        List<String> woken = new ArrayList<>();
        EndpointQueue.Waiter a = () -> woken.add("a");
        EndpointQueue.Waiter b = () -> woken.add("b");
        EndpointQueue.Waiter c = () -> woken.add("c");
        assertTrue(queue.enqueue(a));
        assertTrue(queue.enqueue(b));
        assertTrue(queue.enqueue(c));
        assertFalse(queue.enqueue(() -> woken.add("d")), "bounded");
        queue.slotFreed();
        queue.requeueFirst(a); // woken, but a newcomer took the slot
        queue.slotFreed();
        assertTrue(queue.remove(c), "c timed out");
        queue.slotFreed();
        queue.slotFreed();
        assertEquals(List.of("a", "a", "b"), woken);
        assertEquals(0, queue.waiting());
    }

    @Test
    void anEndpointAtItsCapIsNotCountedTwiceAndItsCountGoesWhenBackToZero() {
        EndpointLoad load = new EndpointLoad();
        InetSocketAddress x = new InetSocketAddress("10.0.0.1", 80);
        assertTrue(load.tryAcquire(x, 2));
        assertTrue(load.tryAcquire(x, 2));
        assertFalse(load.tryAcquire(x, 2));
        assertEquals(2, load.openTo(x));
        load.release(x);
        load.release(x);
        assertEquals(0, load.openTo(x));
        assertTrue(load.snapshot().isEmpty(), "no entry kept for an endpoint with nothing open");
        assertTrue(load.tryAcquire(x, 0), "0: no cap");
    }
}
