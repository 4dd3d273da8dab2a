package org.ambassadord.spi.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Command lines for a JVM started by a test (a probe that must not share the test JVM's
 * module set, or a server inside a network namespace), and a bounded run of such a command.
 */
public final class ChildJvm {

    private ChildJvm() {
    }

    /**
     * How a child process ended.
     *
     * @param exitCode its exit status
     * @param output   standard output and standard error, interleaved
     */
    public record Result(int exitCode, String output) {
    }

    /**
     * {@code java <options> -cp <class path> <main class> <arguments>} with this JDK's
     * {@code java}. The class path holds the main class's classes directory or jar and this
     * testkit, so that a main class may use the testkit.
     */
    public static List<String> command(List<String> options, Class<?> mainClass, List<String> arguments) {
        Set<String> classPath = new LinkedHashSet<>();
        classPath.add(locationOf(mainClass).toString());
        classPath.add(locationOf(ChildJvm.class).toString());
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(options);
        command.add("-cp");
        command.add(String.join(File.pathSeparator, classPath));
        command.add(mainClass.getName());
        command.addAll(arguments);
        return command;
    }

    /**
     * The classes directory or jar a class was read from. Found through the class file rather
     * than the code source: surefire patches test classes into the module under test, whose
     * code source is then the main classes directory.
     */
    public static Path locationOf(Class<?> type) {
        String resource = type.getName().replace('.', '/') + ".class";
        URL url = type.getResource("/" + resource);
        if (url == null) {
            throw new IllegalStateException("no class file for [" + type.getName() + "]");
        }
        try {
            if ("jar".equals(url.getProtocol())) {
                return Path.of(((JarURLConnection) url.openConnection()).getJarFileURL().toURI());
            }
            Path directory = Path.of(url.toURI());
            for (int i = 0; i < resource.split("/").length; i++) {
                directory = directory.getParent();
            }
            return directory;
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("cannot locate [" + type.getName() + "] from [" + url + "]", e);
        }
    }

    /**
     * Runs a command to its end and returns its exit status and output; fails the test, with
     * the output so far, when it is still running after {@code timeout} (and kills it).
     */
    public static Result run(List<String> command, Duration timeout) throws IOException, InterruptedException {
        // A file rather than a pipe: nothing has to read while we wait, and a hung child
        // cannot hold the test in a read that never ends.
        Path output = Files.createTempFile("child-jvm", ".out");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                fail(command + " still running after " + timeout.toSeconds() + " s; output:\n"
                        + Files.readString(output, StandardCharsets.UTF_8));
            }
            return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
