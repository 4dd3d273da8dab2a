package org.ambassadord.plugin.omni;

import java.util.Locale;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;
import jnr.ffi.byref.IntByReference;
import org.ambassadord.plugin.omni.ffi.LibC;
import org.tinylog.Logger;

/**
 * {@code getsockopt(2)} of the C library through jnr-ffi: the JDK has no way to read
 * {@code SO_ORIGINAL_DST}.
 *
 * <p>The binding is made on first use and costs a few hundred milliseconds (jnr-ffi
 * generates a class and unpacks its native stub), so the omni backend calls
 * {@link #available()} on its opening thread rather than leaving it to the first
 * connection on an event loop.
 */
final class NativeSockets {

    static final int SOL_IP = 0;
    static final int SOL_IPV6 = 41;
    /** {@code linux/netfilter_ipv4.h}. */
    static final int SO_ORIGINAL_DST = 80;
    /** {@code linux/netfilter_ipv6/ip6_tables.h}; the same number at another level. */
    static final int IP6T_SO_ORIGINAL_DST = 80;
    static final int ENOENT = 2;

    private NativeSockets() {
    }

    /**
     * What one {@code getsockopt} call returned.
     *
     * @param value  the option buffer
     * @param length the bytes the kernel wrote, valid when {@code errno} is 0
     * @param errno  0 on success, else the error number
     */
    record OptionResult(byte[] value, int length, int errno) {
        boolean succeeded() {
            return errno == 0;
        }
    }

    /** Whether the binding works here: Linux, and jnr-ffi could load. */
    static boolean available() {
        return Binding.LIBC != null;
    }

    /**
     * Reads a socket option into a buffer of {@code size} bytes. One system call; safe on an
     * event loop once {@link #available()} returned true.
     */
    static OptionResult getsockopt(int fd, int level, int option, int size) {
        LibC libc = Binding.LIBC;
        if (libc == null) {
            throw new IllegalStateException("getsockopt is not available on this platform");
        }
        byte[] value = new byte[size];
        IntByReference length = new IntByReference(size);
        int result = libc.getsockopt(fd, level, option, value, length);
        if (result == 0) {
            return new OptionResult(value, length.getValue(), 0);
        }
        int errno = Runtime.getRuntime(libc).getLastError();
        return new OptionResult(value, 0, errno == 0 ? -1 : errno);
    }

    /** Loads on first access (class initialisation is thread-safe and happens once). */
    private static final class Binding {
        static final LibC LIBC = load();

        private static LibC load() {
            String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
            if (!os.contains("linux")) {
                Logger.info("SO_ORIGINAL_DST is Linux only; on [{}] omni mode cannot learn dialled ports", os);
                return null;
            }
            try {
                // Without failImmediately jnr-ffi returns a stub that fails on the first call,
                // which would be on an event loop, instead of here.
                return LibraryLoader.create(LibC.class).failImmediately().load("c");
            } catch (RuntimeException | LinkageError e) {
                // jffi unpacks its native stub to java.io.tmpdir: a noexec /tmp is the usual cause
                // of an UnsatisfiedLinkError.
                Logger.warn("cannot bind getsockopt through jnr-ffi ({}); omni mode cannot learn dialled ports{}",
                        e.toString(), e instanceof UnsatisfiedLinkError || e.getCause() instanceof UnsatisfiedLinkError
                                ? " (is java.io.tmpdir mounted noexec?)" : "");
                return null;
            }
        }
    }
}
