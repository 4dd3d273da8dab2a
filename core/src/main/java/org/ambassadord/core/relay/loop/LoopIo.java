package org.ambassadord.core.relay.loop;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.function.Consumer;
import org.ambassadord.core.relay.socket.RelaySocket;

/**
 * The system-facing half of a {@link RelayLoop}: how it waits for readiness and how its sockets
 * are accepted, opened and closed. Two implementations behind this seam: {@link NioLoopIo}
 * (the JDK's {@code Selector} and {@code SocketChannel}, portable) and {@link EpollLoopIo}
 * (epoll and socket system calls through jffi, Linux), chosen once per server by
 * {@link IoPath}. Everything above it (relays, flows, timers) is the same on both. Loop thread
 * only, except {@link #wakeup()}.
 */
public interface LoopIo {

    /** What the poller tells for every ready registration. */
    @FunctionalInterface
    interface ReadyHandler {
        void ready(Registration registration, int readyOps);
    }

    /** An accepted connection and both its ends' addresses. */
    record Accepted(RelaySocket socket, InetSocketAddress remote, InetSocketAddress local) {
    }

    Registration register(RelaySocket socket, int ops, SelectionHandler handler) throws IOException;

    /** Registers a listening socket (non-blocking) for {@code OP_ACCEPT}. */
    Registration registerListener(ServerSocketChannel listener, SelectionHandler handler) throws IOException;

    /**
     * Accepts one connection, non-blocking, with TCP_NODELAY unless the listener hands it down.
     *
     * @return null when none is waiting (or the one waiting failed at once: it is closed)
     * @throws IOException when the listener failed (EMFILE, ENFILE): the caller backs off
     */
    Accepted accept(ServerSocketChannel listener, boolean noDelayInherited) throws IOException;

    /** A new non-blocking socket for {@code endpoint}'s family, with TCP_NODELAY and keepalive. */
    RelaySocket open(InetSocketAddress endpoint, Duration keepaliveIdle) throws IOException;

    /**
     * Waits for readiness at most {@code timeoutMillis} (0: until woken) and hands every ready
     * registration to {@code handler}.
     */
    void select(long timeoutMillis, ReadyHandler handler) throws IOException;

    /** Makes a {@link #select} in progress return; any thread. */
    void wakeup();

    /** Cancels a registration (null: none) and closes its socket (null: none). */
    void close(Registration registration, RelaySocket socket);

    /** The handlers still registered, for closing at shutdown. */
    void forEachHandler(Consumer<SelectionHandler> action);

    /** Releases the poller and closes what waits to be closed; after {@link #forEachHandler}. */
    void shutdown();
}
