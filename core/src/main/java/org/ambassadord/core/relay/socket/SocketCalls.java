package org.ambassadord.core.relay.socket;

import java.io.IOException;

import com.kenai.jffi.CallContext;
import com.kenai.jffi.CallContextCache;
import com.kenai.jffi.CallingConvention;
import com.kenai.jffi.Invoker;
import com.kenai.jffi.LastError;
import com.kenai.jffi.Library;
import com.kenai.jffi.Type;

/**
 * The socket and epoll system calls of {@link EpollLoopIo}, through jffi like
 * {@link LinuxCalls} (which it uses for {@code close}, options and error texts). Each returns
 * what the relay needs to know: a count, {@link #WOULD_BLOCK}, or an {@link IOException} with
 * the C library's text. The constants are the generic Linux ones (amd64, aarch64: the
 * architectures {@link LinuxCalls} accepts). Stateless and thread-safe.
 */
public final class SocketCalls {

    /** The call would have blocked (EAGAIN, or a connect still in progress). */
    static final long WOULD_BLOCK = -1;

    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    public static final int EPOLLIN = 0x1;
    public static final int EPOLLOUT = 0x4;
    public static final int EPOLLERR = 0x8;
    public static final int EPOLLHUP = 0x10;
    public static final int EPOLLRDHUP = 0x2000;
    public static final int EPOLL_CTL_ADD = 1;
    public static final int EPOLL_CTL_DEL = 2;
    public static final int EPOLL_CTL_MOD = 3;

    private static final int SOCK_STREAM = 1;
    private static final int SOCK_NONBLOCK = 0x800;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int SHUT_WR = 1;
    private static final int EINTR = 4;
    private static final int EAGAIN = 11;
    private static final int EISCONN = 106;
    private static final int EALREADY = 114;
    private static final int EINPROGRESS = 115;

    private final LinuxCalls linux;
    private final Invoker invoker = Invoker.getInstance();
    private final long read;
    private final long write;
    private final long socket;
    private final long connect;
    private final long accept4;
    private final long getsockname;
    private final long shutdown;
    private final long epollCreate1;
    private final long epollCtl;
    private final long epollWait;
    private final long eventfd;
    /** (int, pointer, size_t) -> ssize_t: read, write. */
    private final CallContext transfer;
    /** (int, int, int) -> int: socket. */
    private final CallContext threeInts;
    /** (int, pointer, int) -> int: connect. */
    private final CallContext addressCall;
    /** (int, pointer, pointer, int) -> int: accept4. */
    private final CallContext acceptCall;
    /** (int, pointer, pointer) -> int: getsockname. */
    private final CallContext nameCall;
    /** (int, int) -> int: shutdown, eventfd. */
    private final CallContext twoInts;
    /** (int) -> int: epoll_create1. */
    private final CallContext oneInt;
    /** (int, int, int, pointer) -> int: epoll_ctl. */
    private final CallContext ctlCall;
    /** (int, pointer, int, int) -> int: epoll_wait. */
    private final CallContext waitCall;

    private SocketCalls(LinuxCalls linux, Library libc) {
        this.linux = linux;
        read = LinuxCalls.symbol(libc, "read");
        write = LinuxCalls.symbol(libc, "write");
        socket = LinuxCalls.symbol(libc, "socket");
        connect = LinuxCalls.symbol(libc, "connect");
        accept4 = LinuxCalls.symbol(libc, "accept4");
        getsockname = LinuxCalls.symbol(libc, "getsockname");
        shutdown = LinuxCalls.symbol(libc, "shutdown");
        epollCreate1 = LinuxCalls.symbol(libc, "epoll_create1");
        epollCtl = LinuxCalls.symbol(libc, "epoll_ctl");
        epollWait = LinuxCalls.symbol(libc, "epoll_wait");
        eventfd = LinuxCalls.symbol(libc, "eventfd");
        CallContextCache contexts = CallContextCache.getInstance();
        transfer = contexts.getCallContext(Type.SLONG, new Type[] {Type.SINT, Type.POINTER, Type.ULONG},
                CallingConvention.DEFAULT, true);
        threeInts = contexts.getCallContext(Type.SINT, new Type[] {Type.SINT, Type.SINT, Type.SINT},
                CallingConvention.DEFAULT, true);
        addressCall = contexts.getCallContext(Type.SINT, new Type[] {Type.SINT, Type.POINTER, Type.UINT},
                CallingConvention.DEFAULT, true);
        acceptCall = contexts.getCallContext(Type.SINT, new Type[] {Type.SINT, Type.POINTER, Type.POINTER, Type.SINT},
                CallingConvention.DEFAULT, true);
        nameCall = contexts.getCallContext(Type.SINT, new Type[] {Type.SINT, Type.POINTER, Type.POINTER},
                CallingConvention.DEFAULT, true);
        twoInts = contexts.getCallContext(Type.SINT, new Type[] {Type.SINT, Type.SINT},
                CallingConvention.DEFAULT, true);
        oneInt = contexts.getCallContext(Type.SINT, new Type[] {Type.SINT}, CallingConvention.DEFAULT, true);
        ctlCall = contexts.getCallContext(Type.SINT, new Type[] {Type.SINT, Type.SINT, Type.SINT, Type.POINTER},
                CallingConvention.DEFAULT, true);
        waitCall = contexts.getCallContext(Type.SINT, new Type[] {Type.SINT, Type.POINTER, Type.SINT, Type.SINT},
                CallingConvention.DEFAULT, true);
    }

    /**
     * The functions of the running C library, bound at the first call (by {@link NativeWarmUp},
     * usually, while the command line is parsed).
     *
     * @throws UnsupportedOperationException why they cannot be used here (same answer at every call)
     */
    public static SocketCalls instance() {
        return Loaded.INSTANCE.orElseThrow(() -> Loaded.UNAVAILABLE);
    }

    /** Bound once per process, by the first caller. */
    private static final class Loaded {
        private static final java.util.Optional<SocketCalls> INSTANCE;
        private static final UnsupportedOperationException UNAVAILABLE;

        static {
            SocketCalls loaded = null;
            UnsupportedOperationException failure = null;
            try {
                loaded = new SocketCalls(LinuxCalls.instance(), Library.getDefault());
            } catch (UnsupportedOperationException e) {
                failure = e;
            } catch (LinkageError | RuntimeException e) {
                failure = new UnsupportedOperationException("the socket calls cannot be bound: " + e.getMessage(), e);
            }
            INSTANCE = java.util.Optional.ofNullable(loaded);
            UNAVAILABLE = failure;
        }
    }

    public LinuxCalls linux() {
        return linux;
    }

    /** @return bytes read (0 at end of stream) or {@link #WOULD_BLOCK} */
    public long read(int fd, long address, long length) throws IOException {
        return transfer(read, fd, address, length);
    }

    /** @return bytes written or {@link #WOULD_BLOCK} */
    public long write(int fd, long address, long length) throws IOException {
        return transfer(write, fd, address, length);
    }

    private long transfer(long function, int fd, long address, long length) throws IOException {
        while (true) {
            long result = invoker.invokeN3(transfer, function, fd, address, length);
            if (result >= 0) {
                return result;
            }
            int errno = LastError.getInstance().get();
            if (errno == EAGAIN) {
                return WOULD_BLOCK;
            }
            if (errno != EINTR) {
                throw new IOException(linux.describe(errno));
            }
        }
    }

    /** A non-blocking, close-on-exec TCP socket of {@code family}. */
    public int socket(int family) throws IOException {
        int fd = (int) invoker.invokeN3(threeInts, socket, family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw new IOException("cannot open a socket: " + linux.describe(LastError.getInstance().get()));
        }
        return fd;
    }

    /**
     * Starts a connect, or asks how a started one went (Linux answers a second connect with 0
     * once it completed, EALREADY while pending, or the error it failed with).
     *
     * @return true when connected, false while pending
     */
    boolean connect(int fd, long address, int length) throws IOException {
        while (true) {
            int result = (int) invoker.invokeN3(addressCall, connect, fd, address, length);
            if (result == 0) {
                return true;
            }
            int errno = LastError.getInstance().get();
            if (errno == EINPROGRESS || errno == EALREADY) {
                return false;
            }
            if (errno == EISCONN) {
                return true;
            }
            if (errno != EINTR) {
                throw new IOException(linux.describe(errno));
            }
        }
    }

    /**
     * Accepts one connection, non-blocking and close-on-exec; the peer's address is written at
     * {@code address} (room for {@code *lengthAddress} bytes, updated).
     *
     * @return the descriptor, or {@link #WOULD_BLOCK} when none waits
     */
    public int accept(int fd, long address, long lengthAddress) throws IOException {
        while (true) {
            int result = (int) invoker.invokeN4(acceptCall, accept4, fd, address, lengthAddress,
                    SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (result >= 0) {
                return result;
            }
            int errno = LastError.getInstance().get();
            if (errno == EAGAIN) {
                return (int) WOULD_BLOCK;
            }
            if (errno != EINTR) {
                throw new IOException(linux.describe(errno));
            }
        }
    }

    public void localAddress(int fd, long address, long lengthAddress) throws IOException {
        if ((int) invoker.invokeN3(nameCall, getsockname, fd, address, lengthAddress) != 0) {
            throw new IOException("getsockname: " + linux.describe(LastError.getInstance().get()));
        }
    }

    void shutdownOutput(int fd) throws IOException {
        if ((int) invoker.invokeN2(twoInts, shutdown, fd, SHUT_WR) != 0) {
            throw new IOException(linux.describe(LastError.getInstance().get()));
        }
    }

    public int epollCreate() throws IOException {
        int fd = (int) invoker.invokeN1(oneInt, epollCreate1, SOCK_CLOEXEC);
        if (fd < 0) {
            throw new IOException("epoll_create1: " + linux.describe(LastError.getInstance().get()));
        }
        return fd;
    }

    /** @param event an epoll_event the caller filled in (ignored for DEL) */
    public void epollCtl(int epoll, int operation, int fd, long event) throws IOException {
        if ((int) invoker.invokeN4(ctlCall, epollCtl, epoll, operation, fd, event) != 0) {
            throw new IOException("epoll_ctl: " + linux.describe(LastError.getInstance().get()));
        }
    }

    /** @return the number of events written at {@code events}; 0 on a timeout or an interruption */
    public int epollWait(int epoll, long events, int maxEvents, int timeoutMillis) throws IOException {
        int count = (int) invoker.invokeN4(waitCall, epollWait, epoll, events, maxEvents, timeoutMillis);
        if (count >= 0) {
            return count;
        }
        int errno = LastError.getInstance().get();
        if (errno == EINTR) {
            return 0;
        }
        throw new IOException("epoll_wait: " + linux.describe(errno));
    }

    /** A non-blocking eventfd: how other threads wake a loop waiting in epoll_wait. */
    public int eventfd() throws IOException {
        int fd = (int) invoker.invokeN2(twoInts, eventfd, 0, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            throw new IOException("eventfd: " + linux.describe(LastError.getInstance().get()));
        }
        return fd;
    }
}
