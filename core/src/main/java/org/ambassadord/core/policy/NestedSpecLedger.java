package org.ambassadord.core.policy;

import java.util.HashMap;
import java.util.Map;

/**
 * Counts the backends open for container-chosen specs, in all and per container, so that no
 * container (and no crowd of them) can make the ambassador hold more threads, clients and
 * watches than the operator allowed. A slot is taken before a spec is opened and given back
 * when its backend is closed. Thread-safe; the counts are small, so one lock is plenty.
 */
final class NestedSpecLedger {

    private final int maxTotal;
    private final int maxPerContainer;
    private final Map<String, Integer> perContainer = new HashMap<>();
    private int total;

    NestedSpecLedger(int maxTotal, int maxPerContainer) {
        this.maxTotal = maxTotal;
        this.maxPerContainer = maxPerContainer;
    }

    /**
     * Takes a slot for a container.
     *
     * @throws CapReachedException naming the cap when none is free
     */
    synchronized void acquire(String containerId, String containerLabel) {
        int mine = perContainer.getOrDefault(containerId, 0);
        if (mine >= maxPerContainer) {
            throw new CapReachedException("container [" + containerLabel + "] already has " + mine
                    + " backends open, the most one container may have (--omni-max-specs-per-container "
                    + maxPerContainer + ")");
        }
        if (total >= maxTotal) {
            throw new CapReachedException(total + " backends are open for containers, the most allowed"
                    + " (--omni-max-specs " + maxTotal + ")");
        }
        perContainer.put(containerId, mine + 1);
        total++;
    }

    synchronized void release(String containerId) {
        Integer mine = perContainer.get(containerId);
        if (mine == null) {
            return;
        }
        if (mine <= 1) {
            perContainer.remove(containerId);
        } else {
            perContainer.put(containerId, mine - 1);
        }
        total--;
    }

    synchronized int total() {
        return total;
    }

    /**
     * A cap was reached. Unchecked on purpose: unlike a bad spec, it is not the spec's fault,
     * and callers that cache failed specs must not keep it (a slot may free up).
     */
    static final class CapReachedException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        CapReachedException(String message) {
            super(message);
        }
    }
}
