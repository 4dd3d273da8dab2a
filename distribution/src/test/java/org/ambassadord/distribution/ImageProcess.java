package org.ambassadord.distribution;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.ambassadord.spi.testkit.FreePorts;

/** Runs the built image's {@code bin/ambassadord} as a user would. */
final class ImageProcess implements AutoCloseable {

    private final Process process;
    private final Path stderr;

    private ImageProcess(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
    }

    static Path launcher() {
        String image = System.getProperty("ambassadord.image");
        if (image == null) {
            throw new IllegalStateException("system property ambassadord.image is not set: run through mvn verify");
        }
        Path launcher = Path.of(image, "bin", "ambassadord");
        if (!Files.isExecutable(launcher)) {
            throw new IllegalStateException("no image at " + launcher + ": run mvn -B package first");
        }
        return launcher;
    }

    /** Starts the launcher with arguments and extra environment. */
    static ImageProcess start(Map<String, String> environment, String... args) throws IOException {
        return start(List.of(), environment, args);
    }

    /** Starts the launcher under a wrapper command, such as {@code prlimit --nofile=64:64}. */
    static ImageProcess start(List<String> wrapper, Map<String, String> environment, String... args) throws IOException {
        List<String> command = new ArrayList<>(wrapper);
        command.add(launcher().toString());
        command.addAll(List.of(args));
        Path stderr = Files.createTempFile("ambassadord-", ".err");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(stderr.toFile());
        builder.environment().putAll(environment);
        return new ImageProcess(builder.start(), stderr);
    }

    /** Runs to completion; returns exit status, stdout and stderr. */
    static Result run(String... args) throws IOException, InterruptedException {
        return run(List.of(), args);
    }

    /** Runs to completion under a wrapper command, such as {@code strace -o FILE}. */
    static Result run(List<String> wrapper, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(wrapper);
        command.add(launcher().toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).start();
        byte[] out = process.getInputStream().readAllBytes();
        byte[] err = process.getErrorStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("ambassadord " + command + " did not exit");
        }
        return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    record Result(int status, String out, String err) {
    }

    /** Waits until the port accepts connections, failing with the process's log. */
    void awaitListening(int port) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("ambassadord exited with " + process.exitValue() + ": " + log());
            }
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("ambassadord did not listen on " + port + ": " + log());
    }

    /** Sends SIGTERM and waits for the exit. */
    int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("ambassadord ignored SIGTERM");
        }
        return process.exitValue();
    }

    /** The JVM's process id (the launcher execs it). */
    long pid() {
        return process.pid();
    }

    String log() throws IOException {
        return Files.readString(stderr);
    }

    /** One free port; a test that needs several takes them together from {@link FreePorts#distinct}. */
    static int freePort() throws IOException {
        return FreePorts.distinct(1)[0];
    }

    @Override
    public void close() throws IOException {
        process.destroyForcibly();
        Files.deleteIfExists(stderr);
    }
}
