package org.ambassadord.core.relay.loop;

import java.util.HashSet;
import java.util.Set;

import org.tinylog.Logger;

/**
 * What a loop does with a throwable from one connection's handler, task or timer: that
 * connection is closed and the loop goes on, whatever was thrown — a bug, a plugin's
 * exception, direct memory exhausted ({@code OutOfMemoryError}), a deep recursion — except
 * an error that says the JVM itself is broken ({@link #isFatal}), which stops the loop (and,
 * through {@link RelayServer}'s listener, the process). Each kind is logged with its stack
 * trace once per loop, then in one line, so a failure on every connection cannot flood the
 * log. Loop thread only.
 */
public final class LoopFailures {

    private final String loopName;
    private final Set<String> seen = new HashSet<>();

    LoopFailures(String loopName) {
        this.loopName = loopName;
    }

    /**
     * {@link InternalError}, {@link UnknownError} and other virtual machine errors but
     * {@link OutOfMemoryError} (direct buffers exhausted is one, and closing connections frees
     * memory) and {@link StackOverflowError} (the stack unwinds cleanly).
     */
    static boolean isFatal(Throwable failure) {
        return failure instanceof VirtualMachineError
                && !(failure instanceof OutOfMemoryError) && !(failure instanceof StackOverflowError);
    }

    /** Rethrows a fatal failure; logs any other. */
    public void handle(String what, Throwable failure) {
        if (isFatal(failure)) {
            throw (VirtualMachineError) failure;
        }
        String kind = what + ":" + failure.getClass().getName();
        if (seen.size() < 64 && seen.add(kind)) {
            Logger.error(failure, "{} on {} failed; closing that connection only (logged once per kind)", what, loopName);
        } else {
            Logger.warn("{} on {} failed, closing that connection: {}", what, loopName, failure.toString());
        }
    }
}
