package org.ambassadord.core.relay.socket;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SocketChannel;
import java.util.OptionalInt;

import org.tinylog.Logger;

/**
 * The file descriptor behind a {@link SocketChannel}, which the JDK does not expose. The
 * splice path moves bytes with it, omni mode reads {@code getsockopt(SO_ORIGINAL_DST)} with it.
 * It works when the launcher opens {@code sun.nio.ch} to this module
 * ({@code --add-exports java.base/sun.nio.ch=org.ambassadord.core}); otherwise every look-up is
 * empty: the relay then uses buffers and omni mode refuses connections with that reason.
 */
public final class SocketDescriptors {

    /** {@code SelChImpl.getFDVal()} typed for NetworkChannel, so a call is a plain invokeExact. */
    private static final MethodHandle GET_FD_VAL = findGetFdVal();

    private SocketDescriptors() {
    }

    public static boolean readable() {
        return GET_FD_VAL != null;
    }

    static OptionalInt of(SocketChannel channel) {
        int fd = fdOf(channel);
        return fd < 0 ? OptionalInt.empty() : OptionalInt.of(fd);
    }

    /** The descriptor of a socket or listening socket, or -1 when it cannot be read. */
    public static int fdOf(NetworkChannel channel) {
        if (GET_FD_VAL == null) {
            return -1;
        }
        try {
            return (int) GET_FD_VAL.invokeExact(channel);
        } catch (Throwable e) {
            return -1;
        }
    }

    private static MethodHandle findGetFdVal() {
        try {
            Class<?> selChImpl = Class.forName("sun.nio.ch.SelChImpl");
            return MethodHandles.lookup()
                    .findVirtual(selChImpl, "getFDVal", MethodType.methodType(int.class))
                    .asType(MethodType.methodType(int.class, NetworkChannel.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            Logger.debug("socket file descriptors are not readable: {}", e.toString());
            return null;
        }
    }
}
