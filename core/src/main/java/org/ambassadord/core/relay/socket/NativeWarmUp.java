package org.ambassadord.core.relay.socket;


/**
 * Binds the relay's native calls (jffi's stub, the C functions of {@link LinuxCalls} and
 * {@link SocketCalls}) ahead of the relay, from a start-up thread. The relay uses the same
 * bound instances; if they are still being bound when it needs them, it waits for the binding
 * (class initialisation), never binds twice. Where binding fails, the relay reports why when
 * it chooses its paths.
 */
public final class NativeWarmUp {

    private NativeWarmUp() {
    }

    /** Binds on the calling thread (a background one: see {@code cli.StartupWarmUp}). */
    public static void bind() {
        try {
            SocketCalls.instance();
        } catch (UnsupportedOperationException e) {
            // TransferPath and IoPath log the reason and fall back.
        }
    }
}
