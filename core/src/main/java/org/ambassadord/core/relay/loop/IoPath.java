package org.ambassadord.core.relay.loop;

import java.io.IOException;

import org.tinylog.Logger;
import org.ambassadord.core.relay.socket.SocketCalls;
import org.ambassadord.core.relay.socket.SocketDescriptors;

/**
 * The one place that decides how loops poll and make sockets ({@link LoopIo}): epoll through
 * jffi unless NIO was asked for or epoll cannot work here, then NIO, with the reason logged.
 * Decided once per server, like {@link TransferPath}.
 */
public final class IoPath {

    /** Null on the NIO path. */
    private final SocketCalls calls;

    private IoPath(SocketCalls calls) {
        this.calls = calls;
    }

    /** @param asked the operator's {@code --event-loop} */
    public static IoPath choose(EventLoopKind asked) {
        if (asked == EventLoopKind.NIO) {
            Logger.info("event loop: nio (--event-loop nio)");
            return new IoPath(null);
        }
        String unavailable = null;
        SocketCalls calls = null;
        if (!SocketDescriptors.readable()) {
            unavailable = "listening sockets' file descriptors are not readable"
                    + " (the launcher must pass --add-exports java.base/sun.nio.ch=org.ambassadord.core)";
        } else {
            try {
                calls = SocketCalls.instance();
                // One epoll set up front proves the calls work here.
                new EpollLoopIo(calls).shutdown();
            } catch (UnsupportedOperationException | IOException e) {
                unavailable = e.getMessage();
                calls = null;
            }
        }
        if (calls == null) {
            Logger.info("event loop: nio; epoll is off: {}", unavailable);
            return new IoPath(null);
        }
        Logger.info("event loop: epoll");
        return new IoPath(calls);
    }

    /** Whether loops use epoll rather than NIO. */
    public boolean epoll() {
        return calls != null;
    }

    /** A loop's own poller and socket calls. */
    public LoopIo newForLoop() throws IOException {
        return calls == null ? new NioLoopIo() : new EpollLoopIo(calls);
    }
}
