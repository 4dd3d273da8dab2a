package org.ambassadord.spi.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Network namespaces made for a test with {@code ip netns}: hosts that can be joined by veth
 * pairs, given iptables rules and made to run programs, without touching the host's own
 * namespace or rules. Names carry the test JVM's pid, so concurrent builds do not collide;
 * {@link #close()} deletes every namespace made and with them their veth ends and rules.
 *
 * <p>Used from the test thread only. A missing program or a command that fails fails the
 * test with the Debian package to install or the command's output.
 */
public final class NetworkNamespaces implements AutoCloseable {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final List<String> SBIN_DIRECTORIES = List.of("/usr/local/sbin", "/usr/sbin", "/sbin");
    /** Bounds a hung program; iptables may wait for the xtables lock. */
    private static final long TIMEOUT_SECONDS = 60;

    /**
     * The addresses of a veth pair between namespaces {@code a} and {@code b}.
     *
     * @param addressA  IPv4 address of {@code a}'s end
     * @param addressB  IPv4 address of {@code b}'s end
     * @param address6A IPv6 address of {@code a}'s end
     * @param address6B IPv6 address of {@code b}'s end
     */
    public record Link(String addressA, String addressB, String address6A, String address6B) {
    }

    /**
     * How a program run inside a namespace ended.
     *
     * @param exitCode its exit status
     * @param stdout   what it printed on standard output
     * @param stderr   what it printed on standard error
     */
    public record Execution(int exitCode, String stdout, String stderr) {

        public boolean succeeded() {
            return exitCode == 0;
        }
    }

    private final String tag;
    private final List<String> created = new ArrayList<>();

    private NetworkNamespaces() {
        tag = Long.toHexString(ProcessHandle.current().pid()) + "n" + SEQUENCE.incrementAndGet();
    }

    /** Starts an empty set of namespaces; fails unless the test runs as root with iproute2. */
    public static NetworkNamespaces create() {
        if (!"root".equals(System.getProperty("user.name"))) {
            fail("these tests create network namespaces and must run as root (ip netns needs CAP_SYS_ADMIN)");
        }
        requireProgram("ip", "iproute2");
        return new NetworkNamespaces();
    }

    /**
     * Fails the test unless {@code program} is on {@code PATH} or in an {@code sbin}
     * directory (where iptables lives, often missing from a user's {@code PATH}).
     */
    public static void requireProgram(String program, String debianPackage) {
        Set<String> directories = new LinkedHashSet<>();
        String path = System.getenv("PATH");
        if (path != null) {
            directories.addAll(List.of(path.split(":")));
        }
        directories.addAll(SBIN_DIRECTORIES);
        boolean found = directories.stream().filter(directory -> !directory.isBlank())
                .anyMatch(directory -> Files.isExecutable(Path.of(directory, program)));
        if (!found) {
            fail("program [" + program + "] not found: install Debian package " + debianPackage);
        }
    }

    /** Adds a namespace with its loopback up; returns its name. */
    public String add(String suffix) {
        String name = addWithLoopbackDown(suffix);
        ip("-n", name, "link", "set", "lo", "up");
        return name;
    }

    /**
     * Adds a namespace whose loopback stays down, so that it has no IPv6 address at all;
     * returns its name.
     */
    public String addWithLoopbackDown(String suffix) {
        String name = "ambd-" + tag + "-" + suffix;
        ip("netns", "add", name);
        created.add(name);
        return name;
    }

    /** Joins two namespaces of this set with a veth pair on a random private subnet. */
    public Link link(String a, String b) {
        int subnet = ThreadLocalRandom.current().nextInt(1, 255);
        // Interface names have at most 15 characters; the sequence keeps several links apart.
        String pair = Long.toHexString(ProcessHandle.current().pid()) + "l" + SEQUENCE.incrementAndGet();
        String vethA = "va" + pair;
        String vethB = "vb" + pair;
        Link link = new Link("10.201." + subnet + ".1", "10.201." + subnet + ".2",
                "fd00:ad:" + Integer.toHexString(subnet) + "::1", "fd00:ad:" + Integer.toHexString(subnet) + "::2");
        ip("link", "add", vethA, "netns", a, "type", "veth", "peer", "name", vethB, "netns", b);
        configure(a, vethA, link.addressA(), link.address6A());
        configure(b, vethB, link.addressB(), link.address6B());
        return link;
    }

    private static void configure(String namespace, String veth, String address, String address6) {
        ip("-n", namespace, "addr", "add", address + "/24", "dev", veth);
        // nodad: the address is usable at once instead of after duplicate address detection.
        ip("-n", namespace, "addr", "add", address6 + "/64", "dev", veth, "nodad");
        ip("-n", namespace, "link", "set", veth, "up");
    }

    /** Runs a command inside a namespace and returns how it ended, whatever the exit status. */
    public Execution exec(String namespace, String... command) {
        return run(inside(namespace, command), null);
    }

    /** Runs a command inside a namespace; fails the test when it fails, else returns its output. */
    public String execOrFail(String namespace, String... command) {
        Execution execution = exec(namespace, command);
        if (!execution.succeeded()) {
            fail(List.of(command) + " in " + namespace + " failed: " + execution.stderr().strip());
        }
        return execution.stdout();
    }

    /**
     * Adds rules to a namespace with {@code <program> --noflush} ({@code iptables-restore} or
     * {@code ip6tables-restore}); fails the test when it fails.
     */
    public void restore(String namespace, String program, String rules) {
        Execution execution = run(inside(namespace, program, "--noflush"), rules);
        if (!execution.succeeded()) {
            fail("[" + program + " --noflush] in " + namespace + " failed: " + execution.stderr().strip());
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

    private static List<String> inside(String namespace, String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(List.of(command));
        return full;
    }

    private static void ip(String... arguments) {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(arguments));
        Execution execution = run(command, null);
        if (!execution.succeeded()) {
            fail(command + " failed: " + (execution.stderr() + execution.stdout()).strip());
        }
    }

    private static Execution run(List<String> command, String stdin) {
        try {
            Process process = new ProcessBuilder(command).start();
            // Both pipes are drained while the program runs, so a full pipe cannot stall it.
            CompletableFuture<String> stdout = drain(process.getInputStream());
            CompletableFuture<String> stderr = drain(process.getErrorStream());
            try (OutputStream in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail(command + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
            return new Execution(process.exitValue(), stdout.join(), stderr.join());
        } catch (IOException e) {
            return fail("cannot run " + command + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted while running " + command);
        }
    }

    /** Reads a pipe to its end on a thread of its own (not a pool's: this blocks). */
    private static CompletableFuture<String> drain(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (stream) {
                stream.transferTo(bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toString(StandardCharsets.UTF_8);
        }, task -> {
            Thread thread = new Thread(task, "netns-output");
            thread.setDaemon(true);
            thread.start();
        });
    }
}
