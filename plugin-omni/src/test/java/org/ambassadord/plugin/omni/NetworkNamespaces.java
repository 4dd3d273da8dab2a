package org.ambassadord.plugin.omni;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import jnr.ffi.LibraryLoader;
import jnr.ffi.annotations.SaveError;

/**
 * Network namespaces made for a test, named uniquely per run and deleted by {@link #close()};
 * the host's own namespace and rules are never touched.
 *
 * <p>{@link #inside} runs code on a fresh thread that first moves itself into a namespace
 * with {@code setns(2)} (a network namespace belongs to a thread, not to the process):
 * sockets created there live in that namespace for good, whichever thread uses them later.
 * So one test JVM can hold a listener in one namespace and clients in another.
 */
final class NetworkNamespaces implements AutoCloseable {

    private static final int CLONE_NEWNET = 0x40000000;
    private static final int O_RDONLY = 0;
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    /** The C functions the test needs to enter a namespace. */
    public interface Setns {
        @SaveError
        int open(String path, int flags);

        @SaveError
        int setns(int fd, int nstype);

        int close(int fd);
    }

    private static final Setns LIBC = LibraryLoader.create(Setns.class).load("c");

    private final String tag;
    private final List<String> created = new ArrayList<>();

    private NetworkNamespaces() {
        tag = Long.toHexString(ProcessHandle.current().pid()) + "o" + SEQUENCE.incrementAndGet();
    }

    static NetworkNamespaces create() {
        if (!"root".equals(System.getProperty("user.name"))) {
            fail("these tests create network namespaces and must run as root (ip netns needs CAP_SYS_ADMIN)");
        }
        return new NetworkNamespaces();
    }

    /** Adds a namespace with its loopback up; returns its name. */
    String add(String suffix) {
        String name = "ambd-" + tag + "-" + suffix;
        run("ip", "netns", "add", name);
        created.add(name);
        run("ip", "-n", name, "link", "set", "lo", "up");
        return name;
    }

    /**
     * Joins two namespaces with a veth pair.
     *
     * @return the addresses {@code [v4 a, v4 b, v6 a, v6 b]}
     */
    List<String> link(String a, String b) {
        int subnet = ThreadLocalRandom.current().nextInt(1, 255);
        String vethA = "va" + tag;
        String vethB = "vb" + tag;
        run("ip", "link", "add", vethA, "netns", a, "type", "veth", "peer", "name", vethB, "netns", b);
        List<String> addresses = List.of("10.202." + subnet + ".1", "10.202." + subnet + ".2",
                "fd00:ae:" + Integer.toHexString(subnet) + "::1", "fd00:ae:" + Integer.toHexString(subnet) + "::2");
        run("ip", "-n", a, "addr", "add", addresses.get(0) + "/24", "dev", vethA);
        run("ip", "-n", b, "addr", "add", addresses.get(1) + "/24", "dev", vethB);
        // nodad: usable at once instead of after duplicate address detection.
        run("ip", "-n", a, "addr", "add", addresses.get(2) + "/64", "dev", vethA, "nodad");
        run("ip", "-n", b, "addr", "add", addresses.get(3) + "/64", "dev", vethB, "nodad");
        run("ip", "-n", a, "link", "set", vethA, "up");
        run("ip", "-n", b, "link", "set", vethB, "up");
        return addresses;
    }

    /** Feeds an iptables-restore payload to a namespace's {@code <program> --noflush}. */
    void restore(String namespace, String program, String payload) {
        List<String> command = List.of("ip", "netns", "exec", namespace, program, "--noflush");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (OutputStream in = process.getOutputStream()) {
                in.write(payload.getBytes(StandardCharsets.UTF_8));
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                fail(command + " failed: " + output.strip());
            }
        } catch (IOException e) {
            fail("cannot run " + command + " (install Debian package iptables): " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted");
        }
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

    @Override
    public void close() {
        for (String name : created) {
            try {
                new ProcessBuilder("ip", "netns", "del", name).inheritIO().start().waitFor();
            } catch (IOException e) {
                System.err.println("cannot delete network namespace " + name + ": " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        created.clear();
    }

    private static void run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                fail(List.of(command) + " failed: " + output.strip());
            }
        } catch (IOException e) {
            fail("cannot run " + List.of(command) + " (install Debian package iproute2): " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted");
        }
    }
}
