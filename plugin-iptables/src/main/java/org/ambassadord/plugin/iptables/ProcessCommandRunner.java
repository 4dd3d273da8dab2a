package org.ambassadord.plugin.iptables;

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
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.tinylog.Logger;

/**
 * Runs programs with {@link ProcessBuilder}, optionally behind a fixed command prefix such as
 * {@code ip netns exec <namespace>}.
 *
 * <p>Programs are looked up on {@code PATH} plus the {@code sbin} directories: the iptables
 * programs live in {@code /usr/sbin}, which a non-root user's {@code PATH} often lacks.
 */
final class ProcessCommandRunner implements CommandRunner {

    /** iptables waits for the xtables lock with {@code --wait}; this bounds a hung program. */
    private static final long TIMEOUT_SECONDS = 60;
    private static final List<String> SBIN_DIRECTORIES = List.of("/usr/local/sbin", "/usr/sbin", "/sbin");

    private final List<String> prefix;
    private final List<Path> searchPath;

    /**
     * @param prefix     prepended to every command, such as {@code [ip, netns, exec, ns1]};
     *                   empty to run programs directly
     * @param searchPath the directories {@link #find} looks in, in order
     */
    ProcessCommandRunner(List<String> prefix, List<Path> searchPath) {
        this.prefix = List.copyOf(prefix);
        this.searchPath = List.copyOf(searchPath);
    }

    /** Runs programs directly, in the current network namespace. */
    static ProcessCommandRunner local() {
        return new ProcessCommandRunner(List.of(), defaultSearchPath(System.getenv("PATH")));
    }

    static List<Path> defaultSearchPath(String pathVariable) {
        Set<String> directories = new LinkedHashSet<>();
        if (pathVariable != null) {
            for (String directory : pathVariable.split(":")) {
                if (!directory.isBlank()) {
                    directories.add(directory);
                }
            }
        }
        directories.addAll(SBIN_DIRECTORIES);
        return directories.stream().map(Path::of).toList();
    }

    @Override
    public Optional<Path> find(String program) {
        return searchPath.stream()
                .map(directory -> directory.resolve(program))
                .filter(Files::isExecutable)
                .findFirst();
    }

    @Override
    public CommandResult run(List<String> command, String stdin) throws IOException {
        List<String> full = new ArrayList<>(prefix);
        full.addAll(command);
        Logger.debug("running {}", full);
        Process process = new ProcessBuilder(full).start();
        // Both pipes are drained on their own threads, so a chatty program cannot block on
        // a full pipe while we wait for it.
        StreamCollector out = new StreamCollector(process.getInputStream());
        StreamCollector err = new StreamCollector(process.getErrorStream());
        try (OutputStream input = process.getOutputStream()) {
            if (stdin != null) {
                input.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // The program exited without reading its input; its exit status and stderr say why.
            Logger.debug("{} did not read its input: {}", full.get(0), e.getMessage());
        }
        try {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("[" + String.join(" ", full) + "] did not finish within "
                        + TIMEOUT_SECONDS + " s");
            }
            return new CommandResult(process.exitValue(), out.text(), err.text());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running [" + String.join(" ", full) + "]", e);
        }
    }

    @Override
    public Optional<String> readFile(String path) {
        if (prefix.isEmpty()) {
            try {
                return Optional.of(Files.readString(Path.of(path)));
            } catch (IOException | UncheckedIOException e) {
                return Optional.empty();
            }
        }
        // Behind a prefix the file must be read by a process inside the namespace.
        try {
            CommandResult result = run(List.of("cat", path), null);
            return result.succeeded() ? Optional.of(result.stdout()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Reads one pipe to its end on a daemon thread. */
    private static final class StreamCollector {
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private final Thread thread;

        StreamCollector(InputStream stream) {
            thread = new Thread(() -> {
                try (stream) {
                    stream.transferTo(buffer);
                } catch (IOException e) {
                    Logger.debug("reading a program's output failed: {}", e.getMessage());
                }
            }, "iptables-output");
            thread.setDaemon(true);
            thread.start();
        }

        String text() throws InterruptedException {
            thread.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
            synchronized (buffer) {
                return buffer.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
