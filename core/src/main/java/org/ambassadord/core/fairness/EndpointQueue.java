package org.ambassadord.core.fairness;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Connections waiting because every endpoint is at {@code --max-connections-per-endpoint}: a
 * bounded FIFO. When a counted connection closes, the head is woken (on its own loop, through
 * its {@link Waiter}) to try again; a waiter that finds every endpoint still full goes back to
 * the head, keeping its turn. Shared by a server's loops; O(1) under the lock, except removing
 * a waiter that timed out or left (O(n) in a queue of at most {@link #capacity}).
 */
public final class EndpointQueue {

    /** A queued connection: {@link #wake} posts its retry to its loop. */
    public interface Waiter {
        void wake();
    }

    private final int capacity;
    private final Deque<Waiter> waiting = new ArrayDeque<>();

    public EndpointQueue(int capacity) {
        this.capacity = capacity;
    }

    /** @return false when the queue is full (the connection is refused) */
    public synchronized boolean enqueue(Waiter waiter) {
        if (waiting.size() >= capacity) {
            return false;
        }
        waiting.addLast(waiter);
        return true;
    }

    /** Back to the head: woken, it still found every endpoint at its cap. */
    public synchronized void requeueFirst(Waiter waiter) {
        waiting.addFirst(waiter);
    }

    /** Leaves the queue (timed out, client gone); whether it was still there. */
    public synchronized boolean remove(Waiter waiter) {
        return waiting.remove(waiter);
    }

    /** A slot freed: the head, if any, tries again. */
    public void slotFreed() {
        Waiter head;
        synchronized (this) {
            head = waiting.pollFirst();
        }
        if (head != null) {
            head.wake();
        }
    }

    public synchronized int waiting() {
        return waiting.size();
    }

    public int capacity() {
        return capacity;
    }
}
