package org.ambassadord.core.relay;

import java.lang.reflect.Method;
import java.nio.channels.SocketChannel;
import java.util.OptionalInt;

import org.tinylog.Logger;

/**
 * The file descriptor behind a {@link SocketChannel}, which the JDK does not expose. Omni mode
 * needs it for {@code getsockopt(SO_ORIGINAL_DST)}. It works when the launcher opens
 * {@code sun.nio.ch} to this module ({@code --add-exports java.base/sun.nio.ch=org.ambassadord.core});
 * otherwise every look-up is empty and omni mode refuses connections with that reason.
 */
final class SocketDescriptors {

    private static final Method GET_FD_VAL = findGetFdVal();

    private SocketDescriptors() {
    }

    static OptionalInt of(SocketChannel channel) {
        if (GET_FD_VAL == null) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of((Integer) GET_FD_VAL.invoke(channel));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return OptionalInt.empty();
        }
    }

    private static Method findGetFdVal() {
        try {
            return Class.forName("sun.nio.ch.SelChImpl").getMethod("getFDVal");
        } catch (ReflectiveOperationException | RuntimeException e) {
            Logger.debug("socket file descriptors are not readable: {}", e.toString());
            return null;
        }
    }
}
