package org.ambassadord.distribution.docker;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.ambassadord.spi.testkit.DockerEngines;

/**
 * The {@code docker} command line, as the README's users type it: the suite runs the seed's
 * {@code docker run} lines through it rather than through an API client, so that what is
 * tested is what is documented.
 *
 * <p>Called from test threads only; every call blocks until the command exits or its time
 * limit passes (then the command is killed and the test fails).
 */
final class Docker {

    /** Enough for {@code docker run}, {@code rm}, {@code inspect} on a loaded 2-core machine. */
    static final Duration DEFAULT_LIMIT = Duration.ofSeconds(90);

    /** One finished command: its exit status and output, both streams complete. */
    record Result(List<String> command, int status, String out, String err) {

        boolean succeeded() {
            return status == 0;
        }

        /** Everything about the run, for assertion messages. */
        String describe() {
            return String.join(" ", command) + " -> exit " + status + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** Subcommands that start a container from an image named among their arguments. */
    private static final Set<String> STARTS_CONTAINERS = Set.of("run", "create");

    private Docker() {
    }

    /** Fails the calling test with what to do when no engine answers. */
    static void requireEngine() {
        Result version;
        try {
            version = run(Duration.ofSeconds(30), "version", "--format", "{{.Server.Version}}");
        } catch (IOException e) {
            fail("cannot run [docker] (" + e.getMessage() + "): install Debian package docker.io and start dockerd"
                    + " (.ci/test does both)");
            return;
        }
        if (!version.succeeded() || version.out().isBlank()) {
            fail("no Docker engine answers (" + DockerEngines.describe() + ": `docker version` failed): start dockerd, or install Debian package"
                    + " docker.io (.ci/test does both)\n" + version.describe());
        }
    }

    /** Runs {@code docker <args>} with the default time limit; a failure to start fails the test. */
    static Result run(String... args) {
        try {
            return run(DEFAULT_LIMIT, args);
        } catch (IOException e) {
            return fail("cannot run docker " + String.join(" ", args) + ": " + e.getMessage());
        }
    }

    /** Runs {@code docker <args>} and returns its standard output, failing the test unless it succeeds. */
    static String ok(String... args) {
        Result result = run(args);
        if (!result.succeeded()) {
            fail("docker command failed: " + result.describe());
        }
        return result.out().strip();
    }

    /**
     * Runs {@code docker <args>}, standard input empty, each output stream to its own file so
     * that neither can fill a pipe and stall the command.
     */
    static Result run(Duration limit, String... args) throws IOException {
        if (args.length > 0 && STARTS_CONTAINERS.contains(args[0])) {
            TestImages.unprepared(List.of(args)).ifPresent(image -> fail("docker " + args[0] + " of the suite's image ["
                    + image + "], which no test prepared in this JVM: take its name from TestImages (busybox(), base(),"
                    + " or DockerSuite's Containers.image()), which makes it when the engine lacks it"));
        }
        List<String> command = new ArrayList<>();
        command.add("docker");
        command.addAll(List.of(args));
        return exec(command, limit);
    }

    /** Runs any command the same way (the base image script, host servers' tools). */
    static Result exec(List<String> command, Duration limit) throws IOException {
        Path out = Files.createTempFile("ambassadord-e2e-", ".out");
        Path err = Files.createTempFile("ambassadord-e2e-", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            if (DockerEngines.second()) {
                // Every docker command, also those inside scripts, goes to the engine under test.
                builder.environment().put("DOCKER_HOST", DockerEngines.host());
            }
            Process process = builder.start();
            boolean exited;
            try {
                exited = process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exited = false;
            }
            if (!exited) {
                process.destroyForcibly();
                return fail(String.join(" ", command) + " did not finish within " + limit + "\n--- stdout\n"
                        + read(out) + "--- stderr\n" + read(err));
            }
            return new Result(List.copyOf(command), process.exitValue(), read(out), read(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Lenient: a command may print anything, and a test message must still show it. */
    private static String read(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }
}
