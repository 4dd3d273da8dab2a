package org.ambassadord.core.relay;

/**
 * Binds the relay's native calls (jffi's stub, the C functions of {@link LinuxCalls} and
 * {@link SocketCalls}) on a background thread, so that the work overlaps parsing the command
 * line and opening the backend on the main thread instead of following them: start-up is on
 * the critical path of every container start, and the machine has a second core. The relay
 * uses the same bound instances; if they are still being bound when it needs them, it waits
 * for the binding (class initialisation), never binds twice. Where binding fails, the relay
 * reports why when it chooses its paths.
 */
public final class NativeWarmUp {

    private NativeWarmUp() {
    }

    public static void start() {
        Thread thread = new Thread(NativeWarmUp::bind, "native-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    private static void bind() {
        try {
            SocketCalls.instance();
        } catch (UnsupportedOperationException e) {
            // TransferPath and IoPath log the reason and fall back.
        }
    }
}
