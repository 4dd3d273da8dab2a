package org.ambassadord.core.relay.socket;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

import com.kenai.jffi.CallContext;
import com.kenai.jffi.CallContextCache;
import com.kenai.jffi.CallingConvention;
import com.kenai.jffi.Invoker;
import com.kenai.jffi.LastError;
import com.kenai.jffi.Library;
import com.kenai.jffi.MemoryIO;
import com.kenai.jffi.Type;

/**
 * The Linux system calls the relay makes itself, those the JDK has no API for:
 * {@code splice(2)} and the pipes it needs ({@code pipe2}, {@code fcntl}, {@code close}), and
 * {@code TCP_NODELAY} on a listening socket. Called through jffi, the invoker layer under
 * jnr-ffi: jffi directly rather than a jnr-ffi interface binding because generating that
 * binding costs about 150 ms of start-up (ASM, class definition) for a handful of functions,
 * and the generated class would need an exported package. Stateless and thread-safe.
 */
public final class LinuxCalls {

    /** {@link #splice} moved nothing because either side would block. */
    public static final long WOULD_BLOCK = -1;

    private static final int SPLICE_F_MOVE = 1;
    private static final int SPLICE_F_NONBLOCK = 2;
    private static final int F_SETPIPE_SZ = 1031;
    private static final int F_GETPIPE_SZ = 1032;
    // The generic Linux values (x86_64, aarch64, ...); alpha, mips, parisc and sparc differ,
    // which is why load() accepts only the architectures below.
    private static final int O_NONBLOCK = 0x800;
    private static final int O_CLOEXEC = 0x80000;
    private static final int IPPROTO_TCP = 6;
    private static final int TCP_NODELAY = 1;
    private static final int TCP_KEEPIDLE = 4;
    private static final int TCP_KEEPINTVL = 5;
    private static final int TCP_KEEPCNT = 6;
    private static final int SOL_SOCKET = 1;
    private static final int SO_KEEPALIVE = 9;
    private static final int SO_LINGER = 13;
    private static final int EINTR = 4;
    private static final int MSG_PEEK = 0x2;
    private static final int MSG_DONTWAIT = 0x40;
    private static final int EAGAIN = 11;

    private final Invoker invoker = Invoker.getInstance();
    private final MemoryIO memory = MemoryIO.getInstance();
    private final long spliceFunction;
    private final long pipe2Function;
    private final long fcntlFunction;
    private final long closeFunction;
    private final long setsockoptFunction;
    private final long strerrorFunction;
    private final long recvFunction;
    private final CallContext spliceContext;
    private final CallContext pipe2Context;
    private final CallContext fcntlContext;
    private final CallContext closeContext;
    private final CallContext setsockoptContext;
    private final CallContext strerrorContext;
    private final CallContext recvContext;

    private LinuxCalls(Library libc) {
        spliceFunction = symbol(libc, "splice");
        pipe2Function = symbol(libc, "pipe2");
        fcntlFunction = symbol(libc, "fcntl");
        closeFunction = symbol(libc, "close");
        setsockoptFunction = symbol(libc, "setsockopt");
        strerrorFunction = symbol(libc, "strerror");
        recvFunction = symbol(libc, "recv");
        CallContextCache contexts = CallContextCache.getInstance();
        // ssize_t splice(int fd_in, loff_t *off_in, int fd_out, loff_t *off_out, size_t len, unsigned flags)
        spliceContext = contexts.getCallContext(Type.SLONG,
                new Type[] {Type.SINT, Type.POINTER, Type.SINT, Type.POINTER, Type.ULONG, Type.UINT},
                CallingConvention.DEFAULT, true);
        pipe2Context = contexts.getCallContext(Type.SINT, new Type[] {Type.POINTER, Type.SINT},
                CallingConvention.DEFAULT, true);
        fcntlContext = contexts.getCallContext(Type.SINT, new Type[] {Type.SINT, Type.SINT, Type.SINT},
                CallingConvention.DEFAULT, true);
        closeContext = contexts.getCallContext(Type.SINT, new Type[] {Type.SINT},
                CallingConvention.DEFAULT, true);
        // int setsockopt(int fd, int level, int name, const void *value, socklen_t length)
        setsockoptContext = contexts.getCallContext(Type.SINT,
                new Type[] {Type.SINT, Type.SINT, Type.SINT, Type.POINTER, Type.UINT},
                CallingConvention.DEFAULT, true);
        strerrorContext = contexts.getCallContext(Type.POINTER, new Type[] {Type.SINT},
                CallingConvention.DEFAULT, false);
        // ssize_t recv(int fd, void *buffer, size_t length, int flags)
        recvContext = contexts.getCallContext(Type.SLONG, new Type[] {Type.SINT, Type.POINTER, Type.ULONG, Type.SINT},
                CallingConvention.DEFAULT, true);
    }

    /**
     * The functions of the running C library, bound at the first call.
     *
     * @throws UnsupportedOperationException naming why they cannot be used here (same answer
     *                                       at every call)
     */
    public static LinuxCalls instance() {
        return Loaded.INSTANCE.orElseThrow(() -> Loaded.UNAVAILABLE);
    }

    private static LinuxCalls load() {
        String os = System.getProperty("os.name", "");
        String arch = System.getProperty("os.arch", "");
        if (!os.toLowerCase(Locale.ROOT).startsWith("linux")) {
            throw new UnsupportedOperationException("splice(2) is Linux only, this is [" + os + "]");
        }
        if (!arch.equals("amd64") && !arch.equals("x86_64") && !arch.equals("aarch64")) {
            throw new UnsupportedOperationException("splice is enabled on amd64 and aarch64 only, this is [" + arch + "]");
        }
        try {
            return new LinuxCalls(Library.getDefault());
        } catch (UnsupportedOperationException e) {
            throw e;
        } catch (LinkageError | RuntimeException e) {
            // jffi failed to load its native stub (no jffi.boot.library.path and no writable,
            // executable java.io.tmpdir), or the platform has no stub.
            throw new UnsupportedOperationException("jffi cannot load: " + e, e);
        }
    }

    /**
     * Moves up to {@code length} bytes from {@code in} to {@code out} without blocking; one of
     * the two is a pipe.
     *
     * @return the bytes moved, 0 at end of stream of a socket {@code in}, or {@link #WOULD_BLOCK}
     * @throws IOException when a socket failed (reset, broken pipe)
     */
    public long splice(int in, int out, long length) throws IOException {
        while (true) {
            long moved = invoker.invokeN6(spliceContext, spliceFunction, in, 0, out, 0, length,
                    SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
            if (moved >= 0) {
                return moved;
            }
            int errno = LastError.getInstance().get();
            if (errno == EAGAIN) {
                return WOULD_BLOCK;
            }
            if (errno != EINTR) {
                throw new IOException(describe(errno));
            }
        }
    }

    /**
     * Opens a non-blocking pipe and asks for {@code capacity} bytes of room; the kernel may
     * grant less (pipe-max-size, a user over pipe-user-pages-soft).
     *
     * @return the read and write descriptors and the capacity actually granted
     * @throws IOException when no pipe can be made (EMFILE, ENFILE)
     */
    public Pipe openPipe(int capacity) throws IOException {
        long fds = memory.allocateMemory(8, true);
        int readFd;
        int writeFd;
        try {
            int result = (int) invoker.invokeN2(pipe2Context, pipe2Function, fds, O_NONBLOCK | O_CLOEXEC);
            if (result != 0) {
                throw new IOException("cannot open a pipe: " + describe(LastError.getInstance().get()));
            }
            readFd = memory.getInt(fds);
            writeFd = memory.getInt(fds + 4);
        } finally {
            memory.freeMemory(fds);
        }
        // Refused above the limits: the pipe keeps its default size, which is then the bound.
        invoker.invokeN3(fcntlContext, fcntlFunction, writeFd, F_SETPIPE_SZ, capacity);
        int granted = (int) invoker.invokeN3(fcntlContext, fcntlFunction, writeFd, F_GETPIPE_SZ, 0);
        if (granted <= 0) {
            int errno = LastError.getInstance().get();
            close(readFd);
            close(writeFd);
            throw new IOException("cannot size a pipe: " + describe(errno));
        }
        return new Pipe(readFd, writeFd, granted);
    }

    /**
     * Sets {@code TCP_NODELAY} on a socket; on a listening socket, Linux hands it down to every
     * accepted connection, which then needs no system call of its own for it.
     */
    public void setNoDelay(int fd) throws IOException {
        setIntOption(fd, IPPROTO_TCP, TCP_NODELAY, 1, "TCP_NODELAY");
    }

    /**
     * Turns TCP keepalive on with the given timing; on a listening socket, Linux hands it down
     * to every accepted connection, like {@link #setNoDelay}.
     */
    void setKeepalive(int fd, int idleSeconds, int intervalSeconds, int probes) throws IOException {
        setIntOption(fd, SOL_SOCKET, SO_KEEPALIVE, 1, "SO_KEEPALIVE");
        setIntOption(fd, IPPROTO_TCP, TCP_KEEPIDLE, idleSeconds, "TCP_KEEPIDLE");
        setIntOption(fd, IPPROTO_TCP, TCP_KEEPINTVL, intervalSeconds, "TCP_KEEPINTVL");
        setIntOption(fd, IPPROTO_TCP, TCP_KEEPCNT, probes, "TCP_KEEPCNT");
    }

    /**
     * {@code SO_LINGER} on with 0 s ({@code struct linger {1, 0}}): the next close sends a reset.
     * Best effort — a socket it fails on is closed with a FIN.
     */
    void lingerZero(int fd) {
        long linger = memory.allocateMemory(8, false);
        try {
            memory.putInt(linger, 1);
            memory.putInt(linger + 4, 0);
            invoker.invokeN5(setsockoptContext, setsockoptFunction, fd, SOL_SOCKET, SO_LINGER, linger, 8);
        } finally {
            memory.freeMemory(linger);
        }
    }

    private void setIntOption(int fd, int level, int option, int value, String name) throws IOException {
        long memoryValue = memory.allocateMemory(4, false);
        try {
            memory.putInt(memoryValue, value);
            int result = (int) invoker.invokeN5(setsockoptContext, setsockoptFunction, fd, level, option, memoryValue, 4);
            if (result != 0) {
                throw new IOException("cannot set " + name + ": " + describe(LastError.getInstance().get()));
            }
        } finally {
            memory.freeMemory(memoryValue);
        }
    }

    /** What a socket holds for its reader, seen without taking it. */
    public enum Peeked { DATA, END, NOTHING }

    /**
     * Looks at a socket's next byte without reading it ({@code MSG_PEEK | MSG_DONTWAIT}): a
     * client that has not been read yet can be told apart from one that went away.
     *
     * @throws IOException when the socket failed (a reset)
     */
    public Peeked peek(int fd) throws IOException {
        long oneByte = memory.allocateMemory(1, false);
        try {
            while (true) {
                long result = invoker.invokeN4(recvContext, recvFunction, fd, oneByte, 1, MSG_PEEK | MSG_DONTWAIT);
                if (result > 0) {
                    return Peeked.DATA;
                }
                if (result == 0) {
                    return Peeked.END;
                }
                int errno = LastError.getInstance().get();
                if (errno == EAGAIN) {
                    return Peeked.NOTHING;
                }
                if (errno != EINTR) {
                    throw new IOException(describe(errno));
                }
            }
        } finally {
            memory.freeMemory(oneByte);
        }
    }

    public void close(int fd) {
        invoker.invokeN1(closeContext, closeFunction, fd);
    }

    /** The C library's text for an error number, with the number. */
    String describe(int errno) {
        long text = invoker.invokeN1(strerrorContext, strerrorFunction, errno);
        String message = text == 0 ? "error" : new String(memory.getZeroTerminatedByteArray(text), StandardCharsets.UTF_8);
        return message + " (errno " + errno + ")";
    }

    static long symbol(Library library, String name) {
        long address = library.getSymbolAddress(name);
        if (address == 0) {
            throw new UnsupportedOperationException("the C library has no [" + name + "]");
        }
        return address;
    }

    /** jffi is loaded once per process, by the first caller. */
    private static final class Loaded {
        private static final Optional<LinuxCalls> INSTANCE;
        private static final UnsupportedOperationException UNAVAILABLE;

        static {
            LinuxCalls loaded = null;
            UnsupportedOperationException failure = null;
            try {
                loaded = load();
            } catch (UnsupportedOperationException e) {
                failure = e;
            }
            INSTANCE = Optional.ofNullable(loaded);
            UNAVAILABLE = failure;
        }
    }
}
