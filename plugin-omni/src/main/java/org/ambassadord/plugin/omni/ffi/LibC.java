package org.ambassadord.plugin.omni.ffi;

import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.byref.IntByReference;

/**
 * The C library functions omni mode calls, bound by jnr-ffi. Not an API.
 *
 * <p>This package is exported only because jnr-ffi implements the interface in a class it
 * generates into an unnamed module, which must be able to access it (in a plugin layer the
 * implementation package is closed and the binding fails with IllegalAccessError).
 */
public interface LibC {

    /** {@code getsockopt(2)}; the error number is kept for {@code Runtime.getLastError()}. */
    @SaveError
    int getsockopt(int fd, int level, int optname, @Out byte[] optval, @In @Out IntByReference optlen);
}
