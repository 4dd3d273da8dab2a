package org.ambassadord.core.relay.loop;

import java.util.Locale;

/** How relay loops wait for readiness and make their sockets (see {@link LoopIo}). */
public enum EventLoopKind {
    /**
     * epoll and the socket calls through jffi: {@code accept4(SOCK_NONBLOCK)}, a connect
     * finished by a second {@code connect}, no local-address look-ups. Linux on amd64 and
     * aarch64; elsewhere the server falls back to {@link #NIO} and says why.
     */
    EPOLL,
    /** The JDK's {@code Selector} and {@code SocketChannel}: portable. */
    NIO;

    /** @throws IllegalArgumentException naming the choices */
    public static EventLoopKind parse(String text) {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "epoll" -> EPOLL;
            case "nio" -> NIO;
            default -> throw new IllegalArgumentException("--event-loop [" + text + "] is not epoll or nio");
        };
    }
}
