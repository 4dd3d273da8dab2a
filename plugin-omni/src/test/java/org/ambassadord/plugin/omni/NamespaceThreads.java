package org.ambassadord.plugin.omni;

import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

import jnr.ffi.LibraryLoader;
import jnr.ffi.annotations.SaveError;

/**
 * Runs code on a fresh thread that first moves itself into a network namespace with
 * {@code setns(2)} (a network namespace belongs to a thread, not to the process): sockets
 * created there live in that namespace for good, whichever thread uses them later. So one
 * test JVM can hold a listener in one namespace and clients in another. The namespaces come
 * from the testkit's {@code NetworkNamespaces}.
 */
final class NamespaceThreads {

    private static final int CLONE_NEWNET = 0x40000000;
    private static final int O_RDONLY = 0;

    /** The C functions the test needs to enter a namespace. */
    public interface Setns {
        @SaveError
        int open(String path, int flags);

        @SaveError
        int setns(int fd, int nstype);

        int close(int fd);
    }

    private static final Setns LIBC = LibraryLoader.create(Setns.class).load("c");

    private NamespaceThreads() {
    }

    /** Runs {@code work} on a new thread that has entered the namespace. */
    static <T> T inside(String namespace, Callable<T> work) throws Exception {
        FutureTask<T> task = new FutureTask<>(() -> {
            int fd = LIBC.open("/var/run/netns/" + namespace, O_RDONLY);
            if (fd < 0) {
                throw new IOException("cannot open network namespace " + namespace);
            }
            try {
                if (LIBC.setns(fd, CLONE_NEWNET) != 0) {
                    throw new IOException("setns into " + namespace + " failed");
                }
            } finally {
                LIBC.close(fd);
            }
            return work.call();
        });
        // The thread ends after the task, so no pooled thread is left in a test namespace.
        Thread thread = new Thread(task, "in-" + namespace);
        thread.start();
        try {
            return task.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }
}
