package org.ambassadord.core.relay.transfer;

import java.lang.management.ManagementFactory;

import com.sun.management.HotSpotDiagnosticMXBean;

/**
 * How many relay buffers the JVM's direct memory can hold. {@code ByteBuffer.allocateDirect}
 * past {@code -XX:MaxDirectMemorySize} throws {@link OutOfMemoryError} (and
 * {@code -XX:+ExitOnOutOfMemoryError} does not apply to it), so the buffer pools stop below it
 * and make flows wait instead (see {@link BufferPool}). A quarter is left for the JDK's own
 * temporary direct buffers and for libraries (the HTTP clients of plugins).
 */
final class DirectMemoryBudget {

    private static final double SHARE_FOR_RELAY_BUFFERS = 0.75;

    private final long relayBytes;

    private DirectMemoryBudget(long limit) {
        this.relayBytes = (long) (limit * SHARE_FOR_RELAY_BUFFERS);
    }

    /** This JVM's budget: {@code MaxDirectMemorySize}, which defaults to the heap's maximum. */
    static DirectMemoryBudget ofThisJvm() {
        return new DirectMemoryBudget(maxDirectMemory());
    }

    static DirectMemoryBudget ofLimit(long limitBytes) {
        return new DirectMemoryBudget(limitBytes);
    }

    /** Buffers of {@code bufferSize} bytes each of {@code loops} loops may hold, at least 1. */
    int buffersPerLoop(int bufferSize, int loops) {
        long perLoop = relayBytes / loops / bufferSize;
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, perLoop));
    }

    private static long maxDirectMemory() {
        try {
            String value = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .getVMOption("MaxDirectMemorySize").getValue();
            long configured = Long.parseLong(value);
            if (configured > 0) {
                return configured;
            }
        } catch (RuntimeException notHotSpot) {
            // Another VM: fall through to its documented default.
        }
        return Runtime.getRuntime().maxMemory();
    }
}
