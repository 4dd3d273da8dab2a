package org.ambassadord.distribution.docker;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The containers of one test class, all named {@code <prefix>-<role>} with a prefix unique to
 * this run and class, so that {@link #close()} finds and removes every one of them, also the
 * ones a failed test left behind.
 *
 * <p>Backends and clients are busybox: a backend is {@code nc -ll -e /bin/echo <reply>}, which
 * answers every connection with one fixed line and closes it; a client is {@code nc} printing
 * whatever comes back. Used from the test thread only.
 */
final class Containers implements AutoCloseable {

    /** How long a client waits for its answer; a relay that hangs fails the test, not the suite. */
    static final int CLIENT_TIMEOUT_SECONDS = 15;
    private static final Duration START_LIMIT = Duration.ofSeconds(45);

    private final String prefix;
    private final String image;
    private final AtomicInteger clients = new AtomicInteger();

    Containers(String prefix, String image) {
        this.prefix = prefix;
        this.image = image;
    }

    /** The ambassadord image built for this run (users call theirs {@code ambassadord}). */
    String image() {
        return image;
    }

    String name(String role) {
        return prefix + "-" + role;
    }

    /**
     * {@code docker run -d --name <prefix>-<role> <arguments>}; the arguments hold the image and
     * its command, exactly as in the README.
     */
    String start(String role, String... arguments) {
        String name = name(role);
        List<String> command = new ArrayList<>(List.of("run", "-d", "--name", name));
        command.addAll(List.of(arguments));
        Docker.ok(command.toArray(String[]::new));
        return name;
    }

    /** A backend answering every connection on {@code port} with {@code reply}; returns its name. */
    String echoBackend(String role, int port, String reply) {
        return start(role, "--expose", String.valueOf(port), TestImages.busybox(),
                "nc", "-ll", "-p", String.valueOf(port), "-e", "/bin/echo", reply);
    }

    /**
     * The host's address on the default bridge: servers the tests start on the host (dnsmasq,
     * etcd) listen there, where containers can reach them.
     */
    static String bridgeGateway() {
        String gateway = Docker.ok("network", "inspect", "--format", "{{range .IPAM.Config}}{{.Gateway}} {{end}}", "bridge");
        return Arrays.stream(gateway.split("\\s+"))
                .filter(address -> address.matches("[0-9.]+"))
                .findFirst()
                .orElseGet(Containers::bridgeInterfaceAddress);
    }

    /**
     * An engine that found its bridge interface already configured (a restarted dockerd)
     * reports no IPAM gateway: the interface's own address is the gateway then.
     */
    private static String bridgeInterfaceAddress() {
        String name = Docker.ok("network", "inspect", "--format",
                "{{index .Options \"com.docker.network.bridge.name\"}}", "bridge").strip();
        try {
            Process ip = new ProcessBuilder("ip", "-4", "-o", "addr", "show", "dev", name).redirectErrorStream(true).start();
            String output = new String(ip.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            ip.waitFor();
            Matcher inet = Pattern.compile("inet ([0-9.]+)/").matcher(output);
            if (inet.find()) {
                return inet.group(1);
            }
            return fail("the default bridge [" + name + "] has no IPv4 gateway: " + output.strip());
        } catch (IOException e) {
            return fail("cannot read the address of bridge [" + name + "] (install iproute2): " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted");
        }
    }

    /** The container's address on the default bridge. */
    String address(String name) {
        String address = Docker.ok("inspect", "--format", "{{.NetworkSettings.Networks.bridge.IPAddress}}", name);
        if (address.isEmpty()) {
            fail("container [" + name + "] has no address on the default bridge");
        }
        return address;
    }

    /**
     * Starts an ambassadord container and waits until it logs that it listens; fails with its
     * log if it exits first.
     */
    String startAmbassador(String role, String... arguments) {
        String name = start(role, arguments);
        awaitLog(name, "listening on");
        return name;
    }

    /** Waits until the container's log contains {@code text}. */
    void awaitLog(String name, String text) {
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            Docker.Result log = Docker.run("logs", name);
            if ((log.out() + log.err()).contains(text)) {
                return;
            }
            if (!"true".equals(Docker.ok("inspect", "--format", "{{.State.Running}}", name))) {
                fail("container [" + name + "] stopped before logging [" + text + "]:\n" + log.out() + log.err());
            }
            sleep(200);
        }
        fail("container [" + name + "] did not log [" + text + "] within " + START_LIMIT + ":\n" + log(name));
    }

    String log(String name) {
        Docker.Result log = Docker.run("logs", name);
        return log.out() + log.err();
    }

    /**
     * Runs a client container that connects to {@code host:port} and returns what it printed:
     * {@code docker run --rm <options> busybox nc host port}. The options link it to the
     * ambassador ({@code --link <name>:<alias>}) and may set its environment or labels.
     */
    Docker.Result connect(List<String> options, String host, int port) {
        List<String> command = new ArrayList<>(List.of("run", "--rm", "--name", name("client-" + clients.incrementAndGet())));
        command.addAll(options);
        command.addAll(List.of(TestImages.busybox(), "timeout", String.valueOf(CLIENT_TIMEOUT_SECONDS),
                "nc", host, String.valueOf(port)));
        return Docker.run(command.toArray(String[]::new));
    }

    /** Like {@link #connect}, but the client must succeed; returns its output without the line end. */
    String reply(List<String> options, String host, int port) {
        Docker.Result result = connect(options, host, port);
        if (!result.succeeded()) {
            fail("client could not talk to " + host + ":" + port + ": " + result.describe());
        }
        return result.out().strip();
    }

    /** The process status lines ({@code Uid:}, {@code Groups:}, {@code CapEff:}) of the container's PID 1. */
    String processStatus(String name) {
        return Docker.ok("exec", name, "cat", "/proc/1/status");
    }

    static void sleep(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted");
        }
    }

    /** Removes every container whose name starts with this prefix, running or not. */
    @Override
    public void close() {
        String ids = Docker.run("ps", "--all", "--quiet", "--filter", "name=^/" + prefix + "-").out().strip();
        if (ids.isEmpty()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of("rm", "--force", "--volumes"));
        command.addAll(List.of(ids.split("\\s+")));
        Docker.Result removed = Docker.run(command.toArray(String[]::new));
        if (!removed.succeeded()) {
            System.err.println("cannot remove test containers: " + removed.describe());
        }
    }
}
