package org.ambassadord.plugin.iptables;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Two fresh network namespaces, {@code a} and {@code b}, joined by a veth pair with IPv4 and
 * IPv6 addresses, named uniquely per run so that concurrent builds do not collide. Nothing
 * is changed in the host's own namespace; {@link #close()} deletes both namespaces and with
 * them the veth pair and every rule made inside.
 */
final class NetworkNamespaces implements AutoCloseable {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    final String a;
    final String b;
    final String addressA;
    final String addressB;
    final String address6A;
    final String address6B;
    private final List<String> created = new ArrayList<>();

    private NetworkNamespaces(String tag, int subnet) {
        a = "ambd-" + tag + "-a";
        b = "ambd-" + tag + "-b";
        addressA = "10.201." + subnet + ".1";
        addressB = "10.201." + subnet + ".2";
        address6A = "fd00:ad:" + Integer.toHexString(subnet) + "::1";
        address6B = "fd00:ad:" + Integer.toHexString(subnet) + "::2";
    }

    /** Creates both namespaces and the link between them. */
    static NetworkNamespaces create() {
        requireRootAndIproute();
        String tag = Long.toHexString(ProcessHandle.current().pid()) + "x" + SEQUENCE.incrementAndGet();
        NetworkNamespaces namespaces = new NetworkNamespaces(tag, ThreadLocalRandom.current().nextInt(1, 255));
        try {
            namespaces.build(tag);
            return namespaces;
        } catch (RuntimeException | Error e) {
            namespaces.close();
            throw e;
        }
    }

    /** One lone namespace with only a loopback that is down: no IPv6 address at all. */
    static NetworkNamespaces createLone() {
        requireRootAndIproute();
        String tag = Long.toHexString(ProcessHandle.current().pid()) + "x" + SEQUENCE.incrementAndGet();
        NetworkNamespaces namespaces = new NetworkNamespaces(tag, 0);
        namespaces.addNamespace(namespaces.a);
        return namespaces;
    }

    private void build(String tag) {
        addNamespace(a);
        addNamespace(b);
        String vethA = "va" + tag;
        String vethB = "vb" + tag;
        ip("link", "add", vethA, "netns", a, "type", "veth", "peer", "name", vethB, "netns", b);
        configure(a, vethA, addressA, address6A);
        configure(b, vethB, addressB, address6B);
    }

    private void addNamespace(String name) {
        ip("netns", "add", name);
        created.add(name);
    }

    private static void configure(String namespace, String veth, String address, String address6) {
        ip("-n", namespace, "addr", "add", address + "/24", "dev", veth);
        // nodad: the address is usable at once instead of after duplicate address detection.
        ip("-n", namespace, "addr", "add", address6 + "/64", "dev", veth, "nodad");
        ip("-n", namespace, "link", "set", "lo", "up");
        ip("-n", namespace, "link", "set", veth, "up");
    }

    /** A runner whose programs run inside the namespace. */
    ProcessCommandRunner runnerIn(String namespace) {
        return new ProcessCommandRunner(List.of("ip", "netns", "exec", namespace),
                ProcessCommandRunner.defaultSearchPath(System.getenv("PATH")));
    }

    /** Runs a command inside a namespace and returns its result, whatever the exit status. */
    CommandResult exec(String namespace, String... command) {
        try {
            return runnerIn(namespace).run(List.of(command), null);
        } catch (IOException e) {
            throw new AssertionError("cannot run " + List.of(command) + " in " + namespace, e);
        }
    }

    /** Runs a command inside a namespace and fails the test when it fails. */
    String execOrFail(String namespace, String... command) {
        CommandResult result = exec(namespace, command);
        if (!result.succeeded()) {
            fail(List.of(command) + " in " + namespace + " failed: " + result.stderr());
        }
        return result.stdout();
    }

    /**
     * The namespace's nat tables of both families as iptables-save prints them, without the
     * timestamp comments and packet counters that change on their own.
     */
    String natTables(String namespace, String variantSuffix) {
        return normalise(execOrFail(namespace, "iptables" + variantSuffix + "-save", "-t", "nat"))
                + normalise(execOrFail(namespace, "ip6tables" + variantSuffix + "-save", "-t", "nat"));
    }

    private static String normalise(String save) {
        StringBuilder text = new StringBuilder();
        save.lines().filter(line -> !line.startsWith("#"))
                .map(line -> line.replaceAll("\\[\\d+:\\d+]", "[0:0]"))
                .forEach(line -> text.append(line).append('\n'));
        return text.toString();
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

    private static void ip(String... arguments) {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (process.waitFor() != 0) {
                fail(command + " failed: " + output.strip());
            }
        } catch (IOException e) {
            fail("cannot run " + command + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted");
        }
    }

    private static void requireRootAndIproute() {
        if (!"root".equals(System.getProperty("user.name"))) {
            fail("these tests create network namespaces and must run as root (ip netns needs CAP_SYS_ADMIN)");
        }
        if (ProcessCommandRunner.local().find("ip").isEmpty()) {
            fail("program [ip] not found: install Debian package iproute2");
        }
        for (String program : List.of("iptables-nft-save", "iptables-legacy-save", "ip6tables-nft-save")) {
            if (ProcessCommandRunner.local().find(program).isEmpty()) {
                fail("program [" + program + "] not found: install Debian package iptables");
            }
        }
        if (!Files.isExecutable(Path.of("/bin/bash"))) {
            fail("/bin/bash not found: install Debian package bash");
        }
    }
}
