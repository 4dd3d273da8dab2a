package org.ambassadord.core.relay.loop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.tinylog.Logger;
import org.ambassadord.core.relay.socket.Channels;
import org.ambassadord.core.relay.socket.NioSocket;
import org.ambassadord.core.relay.socket.RelaySocket;
import org.ambassadord.core.relay.socket.TcpKeepalive;

/** {@link LoopIo} on the JDK's {@link Selector} and {@link SocketChannel}: the portable path. */
final class NioLoopIo implements LoopIo {

    private final Selector selector;
    /** Channels whose keys were cancelled since the last select began. */
    private List<RelaySocket> closing = new ArrayList<>();
    /** Channels whose keys the current select deregisters: closed when it returns. */
    private List<RelaySocket> deregistering = new ArrayList<>();
    private ReadyHandler readyHandler;
    /** The select action, allocated once: ready keys go straight to their handlers. */
    private final Consumer<SelectionKey> dispatcher = this::dispatch;

    NioLoopIo() {
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector", e);
        }
    }

    @Override
    public Registration register(RelaySocket socket, int ops, SelectionHandler handler) throws IOException {
        return registerChannel(((NioSocket) socket).channel(), ops, handler);
    }

    @Override
    public Registration registerListener(ServerSocketChannel listener, SelectionHandler handler) throws IOException {
        return registerChannel(listener, SelectionKey.OP_ACCEPT, handler);
    }

    private Registration registerChannel(SelectableChannel channel, int ops, SelectionHandler handler) throws IOException {
        KeyRegistration registration = new KeyRegistration(handler);
        registration.key = channel.register(selector, ops, registration);
        return registration;
    }

    @Override
    public Accepted accept(ServerSocketChannel listener, boolean noDelayInherited) throws IOException {
        SocketChannel client = listener.accept();
        if (client == null) {
            return null;
        }
        try {
            client.configureBlocking(false);
            if (!noDelayInherited) {
                client.setOption(StandardSocketOptions.TCP_NODELAY, true);
            }
            return new Accepted(new NioSocket(client), (InetSocketAddress) client.getRemoteAddress(),
                    (InetSocketAddress) client.getLocalAddress());
        } catch (IOException e) {
            // This connection failed (a reset before its options were set), not the listener.
            Logger.debug("dropping a connection that failed at accept: {}", e.getMessage());
            Channels.closeQuietly(client);
            return null;
        }
    }

    @Override
    public RelaySocket open(InetSocketAddress endpoint, Duration keepaliveIdle) throws IOException {
        // The endpoint's own family: a dual-stack socket would cost an IPV6_V6ONLY call.
        SocketChannel channel = endpoint.getAddress() instanceof Inet4Address
                ? SocketChannel.open(StandardProtocolFamily.INET)
                : SocketChannel.open();
        try {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            TcpKeepalive.enable(channel, keepaliveIdle);
            return new NioSocket(channel);
        } catch (IOException | RuntimeException e) {
            Channels.closeQuietly(channel);
            throw e;
        }
    }

    @Override
    public void select(long timeoutMillis, ReadyHandler handler) throws IOException {
        List<RelaySocket> cancelled = closing;
        closing = deregistering;
        deregistering = cancelled;
        readyHandler = handler;
        try {
            // select(action) rather than selectedKeys(): no set to fill and empty per event.
            selector.select(dispatcher, deregistering.isEmpty() ? timeoutMillis : 1);
        } finally {
            closeAll(deregistering);
        }
    }

    private void dispatch(SelectionKey key) {
        if (key.isValid()) {
            readyHandler.ready((KeyRegistration) key.attachment(), key.readyOps());
        }
    }

    @Override
    public void wakeup() {
        selector.wakeup();
    }

    /**
     * Closes a channel once the next select has deregistered its key. Closing a registered
     * channel makes the JDK read SO_LINGER and shut the output down itself, two system calls
     * per socket that are wasted after the relay's own half-closes; deregistered, the close is
     * one close(2). The wait is short: while channels wait, select waits 1 ms at most.
     */
    @Override
    public void close(Registration registration, RelaySocket socket) {
        if (socket == null) {
            return;
        }
        if (registration == null) {
            socket.closeQuietly();
            return;
        }
        registration.cancel();
        closing.add(socket);
    }

    @Override
    public void forEachHandler(Consumer<SelectionHandler> action) {
        for (SelectionKey key : selector.keys()) {
            if (key.attachment() instanceof KeyRegistration registration) {
                action.accept(registration.handler());
            }
        }
    }

    @Override
    public void shutdown() {
        try {
            selector.close();
        } catch (IOException e) {
            Logger.debug(e, "closing the selector failed");
        }
        closeAll(deregistering);
        closeAll(closing);
    }

    private static void closeAll(List<RelaySocket> sockets) {
        for (int i = 0; i < sockets.size(); i++) {
            sockets.get(i).closeQuietly();
        }
        sockets.clear();
    }

    /** A selection key with its handler beside it. */
    private static final class KeyRegistration extends Registration {
        private SelectionKey key;

        KeyRegistration(SelectionHandler handler) {
            super(handler);
        }

        @Override
        public int interestOps() {
            return key.interestOps();
        }

        @Override
        public void interestOps(int ops) {
            key.interestOps(ops);
        }

        @Override
        public boolean isValid() {
            return key.isValid();
        }

        @Override
        public void cancel() {
            key.cancel();
        }
    }
}
