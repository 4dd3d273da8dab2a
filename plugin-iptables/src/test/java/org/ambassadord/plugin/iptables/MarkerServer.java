package org.ambassadord.plugin.iptables;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.ambassadord.spi.testkit.ChildJvm;

/**
 * A TCP server in its own JVM, started inside a network namespace: it listens on the given
 * ports (IPv4 and IPv6) and answers every connection with {@code port <local port>}, so a
 * client learns whether it reached the redirect port or the port it dialled.
 *
 * <p>{@link #main} runs in the child JVM (class path = the test classes and the testkit, JDK only);
 * {@link #start} and {@link #close} run in the test.
 */
final class MarkerServer implements AutoCloseable {

    private final Process process;

    private MarkerServer(Process process) {
        this.process = process;
    }

    static MarkerServer start(String namespace, int... ports) throws IOException {
        List<String> arguments = new ArrayList<>();
        for (int port : ports) {
            arguments.add(Integer.toString(port));
        }
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        command.addAll(ChildJvm.command(List.of(), MarkerServer.class, arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        MarkerServer server = new MarkerServer(process);
        BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = reader.readLine();
        if (!"ready".equals(line)) {
            server.close();
            throw new IOException("marker server in " + namespace + " did not start: " + line);
        }
        return server;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static void main(String[] args) throws IOException {
        for (String port : args) {
            // The wildcard address of a Linux JVM is the IPv6 one, which also accepts IPv4.
            ServerSocket server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(Integer.parseInt(port)));
            Thread thread = new Thread(() -> serve(server), "marker-" + port);
            thread.start();
        }
        // Exit with the test JVM: its end closes our stdin, even when it is killed.
        Thread watchdog = new Thread(() -> {
            try {
                System.in.transferTo(OutputStream.nullOutputStream());
            } catch (IOException e) {
                // the parent is gone either way
            }
            System.exit(0);
        }, "marker-parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        System.out.println("ready");
        System.out.flush();
    }

    private static void serve(ServerSocket server) {
        while (true) {
            try (Socket socket = server.accept(); OutputStream out = socket.getOutputStream()) {
                out.write(("port " + socket.getLocalPort() + "\n").getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                System.err.println("marker server: " + e);
            }
        }
    }
}
