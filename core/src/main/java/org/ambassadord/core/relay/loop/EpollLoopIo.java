package org.ambassadord.core.relay.loop;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.Consumer;

import com.kenai.jffi.MemoryIO;
import org.tinylog.Logger;
import org.ambassadord.core.relay.socket.LinuxCalls;
import org.ambassadord.core.relay.socket.NativeSocket;
import org.ambassadord.core.relay.socket.RelaySocket;
import org.ambassadord.core.relay.socket.SocketAddresses;
import org.ambassadord.core.relay.socket.SocketCalls;
import org.ambassadord.core.relay.socket.SocketDescriptors;
import org.ambassadord.core.relay.socket.TcpKeepalive;

/**
 * {@link LoopIo} on epoll and plain socket calls (through jffi): what HAProxy does per
 * connection, and what the JDK's NIO adds to it left out. Accepts with
 * {@code accept4(SOCK_NONBLOCK)} and opens with {@code socket(SOCK_NONBLOCK)} (no
 * {@code fcntl} pair per socket), learns the peer's address from accept and no local address
 * unless the listener is a wildcard (NIO calls {@code getsockname} after every accept and
 * connect), finishes a connect with a second {@code connect} (NIO: {@code poll} plus
 * {@code getsockopt}), and closes a socket with one {@code close} at once, which also takes it
 * out of the epoll set. Interest 0 takes a socket out of the set (as NIO does), so an idle
 * socket's hang-up cannot spin the loop; a socket that never wants anything is never added.
 *
 * <p>An event carries the descriptor and a generation number: a descriptor closed and reused
 * within one batch of events is not mistaken for its predecessor. Loop thread only, except
 * {@link #wakeup()}.
 */
final class EpollLoopIo implements LoopIo {

    private static final int MAX_EVENTS = 256;
    private static final MemoryIO MEMORY = MemoryIO.getInstance();

    private final SocketCalls calls;
    private final LinuxCalls linux;
    /** struct epoll_event is packed on x86-64 (12 bytes), naturally aligned on arm64 (16). */
    private final int eventSize;
    private final int dataOffset;
    private final int epoll;
    private final int wakeFd;
    private final long events;
    private final long oneEvent;
    private final long addressScratch;
    private final long lengthScratch;
    /** Eight bytes holding 1: what {@link #wakeup()} writes (any thread, never changed). */
    private final long wakeValue;
    /**
     * Guards the eventfd against its close: a wake-up from another thread after shutdown must
     * not write to a descriptor number that a new socket may have been given meanwhile.
     */
    private final Object wakeLock = new Object();
    private boolean wakeClosed;
    private final long drainScratch;
    /** The registration of each descriptor, by descriptor. */
    private Entry[] byFd = new Entry[1024];
    private int generations;
    private boolean shutDown;

    EpollLoopIo(SocketCalls calls) throws IOException {
        this.calls = calls;
        this.linux = calls.linux();
        boolean packed = !System.getProperty("os.arch", "").equals("aarch64");
        this.eventSize = packed ? 12 : 16;
        this.dataOffset = packed ? 4 : 8;
        this.epoll = calls.epollCreate();
        int wake;
        try {
            wake = calls.eventfd();
        } catch (IOException e) {
            linux.close(epoll);
            throw e;
        }
        this.wakeFd = wake;
        this.events = MEMORY.allocateMemory((long) MAX_EVENTS * eventSize, true);
        this.oneEvent = MEMORY.allocateMemory(16, true);
        this.addressScratch = MEMORY.allocateMemory(SocketAddresses.MAX_LENGTH, true);
        this.lengthScratch = MEMORY.allocateMemory(4, true);
        this.wakeValue = MEMORY.allocateMemory(8, true);
        this.drainScratch = MEMORY.allocateMemory(8, true);
        MEMORY.putLong(wakeValue, 1);
        ctl(SocketCalls.EPOLL_CTL_ADD, wakeFd, SocketCalls.EPOLLIN, 0);
    }

    @Override
    public Registration register(RelaySocket socket, int ops, SelectionHandler handler) throws IOException {
        return entry(socket.fd(), ops, handler, (NativeSocket) socket);
    }

    @Override
    public Registration registerListener(ServerSocketChannel listener, SelectionHandler handler) throws IOException {
        int fd = SocketDescriptors.fdOf(listener);
        if (fd < 0) {
            throw new IOException("the listening socket's file descriptor is not readable");
        }
        return entry(fd, SelectionKey.OP_ACCEPT, handler, null);
    }

    private Entry entry(int fd, int ops, SelectionHandler handler, NativeSocket socket) throws IOException {
        if (shutDown) {
            throw new IOException("the loop is shut down");
        }
        if (fd >= byFd.length) {
            byFd = Arrays.copyOf(byFd, Math.max(fd + 1, byFd.length * 2));
        }
        Entry entry = new Entry(fd, ++generations, handler, socket);
        byFd[fd] = entry;
        entry.interestOps(ops);
        return entry;
    }

    @Override
    public Accepted accept(ServerSocketChannel listener, boolean noDelayInherited) throws IOException {
        int listenerFd = SocketDescriptors.fdOf(listener);
        MEMORY.putInt(lengthScratch, SocketAddresses.MAX_LENGTH);
        int fd = calls.accept(listenerFd, addressScratch, lengthScratch);
        if (fd < 0) {
            return null;
        }
        try {
            InetSocketAddress remote = SocketAddresses.read(addressScratch);
            if (!noDelayInherited) {
                linux.setNoDelay(fd);
            }
            InetSocketAddress local = (InetSocketAddress) listener.getLocalAddress();
            if (local.getAddress().isAnyLocalAddress()) {
                // Only a wildcard listener leaves the local address to each connection.
                MEMORY.putInt(lengthScratch, SocketAddresses.MAX_LENGTH);
                calls.localAddress(fd, addressScratch, lengthScratch);
                local = SocketAddresses.read(addressScratch);
            }
            return new Accepted(new NativeSocket(calls, fd, addressScratch), remote, local);
        } catch (IOException | RuntimeException e) {
            // This connection failed (a reset before its options were set), not the listener.
            Logger.debug("dropping a connection that failed at accept: {}", e.getMessage());
            linux.close(fd);
            return null;
        }
    }

    @Override
    public RelaySocket open(InetSocketAddress endpoint, Duration keepaliveIdle) throws IOException {
        int fd = calls.socket(SocketAddresses.family(endpoint));
        try {
            linux.setNoDelay(fd);
            TcpKeepalive.enable(linux, fd, keepaliveIdle);
        } catch (IOException | RuntimeException e) {
            linux.close(fd);
            throw e;
        }
        return new NativeSocket(calls, fd, addressScratch);
    }

    @Override
    public void select(long timeoutMillis, ReadyHandler handler) throws IOException {
        int timeout = timeoutMillis == 0 ? -1 : (int) Math.min(Integer.MAX_VALUE, timeoutMillis);
        int count = calls.epollWait(epoll, events, MAX_EVENTS, timeout);
        for (int i = 0; i < count; i++) {
            long event = events + (long) i * eventSize;
            int ready = MEMORY.getInt(event);
            long data = MEMORY.getLong(event + dataOffset);
            int fd = (int) data;
            if (fd == wakeFd && data >>> 32 == 0) {
                calls.read(wakeFd, drainScratch, 8);
                continue;
            }
            Entry entry = fd < byFd.length ? byFd[fd] : null;
            if (entry == null || entry.generation != (int) (data >>> 32) || !entry.valid) {
                continue; // closed earlier in this batch
            }
            int ops = entry.readyOps(ready);
            if (ops != 0) {
                handler.ready(entry, ops);
            }
        }
    }

    @Override
    public void wakeup() {
        synchronized (wakeLock) {
            if (wakeClosed) {
                return; // nobody waits any more
            }
            try {
                calls.write(wakeFd, wakeValue, 8);
            } catch (IOException e) {
                Logger.debug("waking the loop failed: {}", e.getMessage());
            }
        }
    }

    /** Closes at once: close(2) also removes the descriptor from the epoll set. */
    @Override
    public void close(Registration registration, RelaySocket socket) {
        if (registration instanceof Entry entry) {
            entry.forget();
        }
        if (socket != null) {
            socket.closeQuietly();
        }
    }

    @Override
    public void forEachHandler(Consumer<SelectionHandler> action) {
        for (Entry entry : byFd) {
            if (entry != null && entry.valid) {
                action.accept(entry.handler());
            }
        }
    }

    @Override
    public void shutdown() {
        if (shutDown) {
            return;
        }
        shutDown = true;
        Arrays.fill(byFd, null);
        linux.close(epoll);
        synchronized (wakeLock) {
            wakeClosed = true;
            linux.close(wakeFd);
            MEMORY.freeMemory(wakeValue);
        }
        MEMORY.freeMemory(events);
        MEMORY.freeMemory(oneEvent);
        MEMORY.freeMemory(addressScratch);
        MEMORY.freeMemory(lengthScratch);
        MEMORY.freeMemory(drainScratch);
    }

    private void ctl(int operation, int fd, int epollEvents, int generation) throws IOException {
        MEMORY.putInt(oneEvent, epollEvents);
        MEMORY.putLong(oneEvent + dataOffset, (long) generation << 32 | (fd & 0xffffffffL));
        calls.epollCtl(epoll, operation, fd, oneEvent);
    }

    /** One descriptor's registration: its interest, whether it is in the epoll set, its handler. */
    private final class Entry extends Registration {
        private final int fd;
        private final int generation;
        /** Null for a listener. */
        private final NativeSocket socket;
        private int interest;
        private int registeredEvents;
        private boolean valid = true;

        Entry(int fd, int generation, SelectionHandler handler, NativeSocket socket) {
            super(handler);
            this.fd = fd;
            this.generation = generation;
            this.socket = socket;
        }

        @Override
        public int interestOps() {
            return interest;
        }

        @Override
        public void interestOps(int ops) {
            if (!valid) {
                throw new java.nio.channels.CancelledKeyException();
            }
            interest = ops;
            int wanted = epollEvents(ops);
            if (wanted == registeredEvents) {
                return;
            }
            try {
                if (wanted == 0) {
                    ctl(SocketCalls.EPOLL_CTL_DEL, fd, 0, generation);
                } else {
                    ctl(registeredEvents == 0 ? SocketCalls.EPOLL_CTL_ADD : SocketCalls.EPOLL_CTL_MOD, fd, wanted,
                            generation);
                }
                registeredEvents = wanted;
            } catch (IOException e) {
                // Only a closed descriptor or a full kernel table gets here: the handler finds
                // out from its next read or write, or from its timeout.
                Logger.warn("epoll_ctl on descriptor {} failed: {}", fd, e.getMessage());
            }
        }

        private int epollEvents(int ops) {
            int wanted = 0;
            if ((ops & SelectionKey.OP_READ) != 0) {
                // With the FIN's own flag, a short read tells the flow the peer is done.
                wanted |= SocketCalls.EPOLLIN | SocketCalls.EPOLLRDHUP;
            }
            if ((ops & SelectionKey.OP_ACCEPT) != 0) {
                wanted |= SocketCalls.EPOLLIN;
            }
            if ((ops & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)) != 0) {
                wanted |= SocketCalls.EPOLLOUT;
            }
            return wanted;
        }

        /** The ready operations an event means, as NIO reports them: an error readies every interest. */
        int readyOps(int epollReady) {
            if ((epollReady & SocketCalls.EPOLLRDHUP) != 0 && socket != null) {
                socket.peerShutDown();
            }
            if ((epollReady & (SocketCalls.EPOLLERR | SocketCalls.EPOLLHUP)) != 0) {
                return interest;
            }
            int ops = 0;
            if ((epollReady & (SocketCalls.EPOLLIN | SocketCalls.EPOLLRDHUP)) != 0) {
                ops |= interest & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT);
            }
            if ((epollReady & SocketCalls.EPOLLOUT) != 0) {
                ops |= interest & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT);
            }
            return ops;
        }

        @Override
        public boolean isValid() {
            return valid;
        }

        /** Stops hearing about a socket that stays open (a listener being closed). */
        @Override
        public void cancel() {
            if (!valid) {
                return;
            }
            if (registeredEvents != 0) {
                try {
                    ctl(SocketCalls.EPOLL_CTL_DEL, fd, 0, generation);
                } catch (IOException e) {
                    Logger.debug("epoll_ctl DEL on descriptor {} failed: {}", fd, e.getMessage());
                }
                registeredEvents = 0;
            }
            forget();
        }

        /** Invalid and out of the table, with no system call: its socket is about to be closed. */
        void forget() {
            valid = false;
            if (fd < byFd.length && byFd[fd] == this) {
                byFd[fd] = null;
            }
        }
    }
}
