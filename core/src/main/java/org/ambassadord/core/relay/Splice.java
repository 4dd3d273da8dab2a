package org.ambassadord.core.relay;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import com.kenai.jffi.CallContext;
import com.kenai.jffi.CallContextCache;
import com.kenai.jffi.CallingConvention;
import com.kenai.jffi.Invoker;
import com.kenai.jffi.LastError;
import com.kenai.jffi.Library;
import com.kenai.jffi.MemoryIO;
import com.kenai.jffi.Type;

/**
 * The Linux system calls of the zero-copy path: {@code splice(2)}, {@code pipe2(2)},
 * {@code fcntl(2)} and {@code close(2)}, called through jffi, the invoker layer under jnr-ffi.
 * jffi is used directly rather than through a jnr-ffi interface binding because generating
 * that binding costs about 150 ms of start-up (ASM, class definition) for four functions, and
 * the generated class would need an exported package. Stateless and thread-safe.
 */
final class Splice {

    /** {@link #splice} moved nothing because either side would block. */
    static final long WOULD_BLOCK = -1;

    private static final int SPLICE_F_MOVE = 1;
    private static final int SPLICE_F_NONBLOCK = 2;
    private static final int F_SETPIPE_SZ = 1031;
    private static final int F_GETPIPE_SZ = 1032;
    // The generic Linux values (x86_64, aarch64, ...); alpha, mips, parisc and sparc differ,
    // which is why load() accepts only the architectures below.
    private static final int O_NONBLOCK = 0x800;
    private static final int O_CLOEXEC = 0x80000;
    private static final int EINTR = 4;
    private static final int EAGAIN = 11;

    private final Invoker invoker = Invoker.getInstance();
    private final MemoryIO memory = MemoryIO.getInstance();
    private final long spliceFunction;
    private final long pipe2Function;
    private final long fcntlFunction;
    private final long closeFunction;
    private final long strerrorFunction;
    private final CallContext spliceContext;
    private final CallContext pipe2Context;
    private final CallContext fcntlContext;
    private final CallContext closeContext;
    private final CallContext strerrorContext;

    private Splice(Library libc) {
        spliceFunction = symbol(libc, "splice");
        pipe2Function = symbol(libc, "pipe2");
        fcntlFunction = symbol(libc, "fcntl");
        closeFunction = symbol(libc, "close");
        strerrorFunction = symbol(libc, "strerror");
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
        strerrorContext = contexts.getCallContext(Type.POINTER, new Type[] {Type.SINT},
                CallingConvention.DEFAULT, false);
    }

    /**
     * Binds the functions of the running C library.
     *
     * @throws UnsupportedOperationException naming why splice cannot be used here
     */
    static Splice load() {
        String os = System.getProperty("os.name", "");
        String arch = System.getProperty("os.arch", "");
        if (!os.toLowerCase(Locale.ROOT).startsWith("linux")) {
            throw new UnsupportedOperationException("splice(2) is Linux only, this is [" + os + "]");
        }
        if (!arch.equals("amd64") && !arch.equals("x86_64") && !arch.equals("aarch64")) {
            throw new UnsupportedOperationException("splice is enabled on amd64 and aarch64 only, this is [" + arch + "]");
        }
        try {
            return new Splice(Library.getDefault());
        } catch (UnsupportedOperationException e) {
            throw e;
        } catch (LinkageError | RuntimeException e) {
            // jffi failed to load its native stub (no writable, executable java.io.tmpdir and
            // no jffi.boot.library.path), or the platform has no stub.
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
    long splice(int in, int out, long length) throws IOException {
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
    PipePool.Pipe openPipe(int capacity) throws IOException {
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
        return new PipePool.Pipe(readFd, writeFd, granted);
    }

    void close(int fd) {
        invoker.invokeN1(closeContext, closeFunction, fd);
    }

    private String describe(int errno) {
        long text = invoker.invokeN1(strerrorContext, strerrorFunction, errno);
        String message = text == 0 ? "error" : new String(memory.getZeroTerminatedByteArray(text), StandardCharsets.UTF_8);
        return message + " (errno " + errno + ")";
    }

    private static long symbol(Library library, String name) {
        long address = library.getSymbolAddress(name);
        if (address == 0) {
            throw new UnsupportedOperationException("the C library has no [" + name + "]");
        }
        return address;
    }
}
