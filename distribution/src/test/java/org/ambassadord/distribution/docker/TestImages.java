package org.ambassadord.distribution.docker;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.ambassadord.spi.testkit.DockerEngines;

/**
 * The images of the suite, made without any registry:
 * <ul>
 *   <li>{@link #base()}: Debian bookworm minbase with iptables, from debootstrap
 *       ({@code docker/make-base-image.sh}); made once, then cached in the engine;</li>
 *   <li>{@link #busybox()}: backends and clients, a statically linked busybox with all its
 *       applets; made once, then cached;</li>
 *   <li>the image under test, built from {@code distribution/Dockerfile} on the base for each
 *       run and removed by {@link #close()}.</li>
 * </ul>
 * A test gets an image's name only from the method that makes it when it is missing, so that
 * every test class passes alone on a machine that has none of them (no registry can supply a
 * missing one); {@link Docker} refuses to start a suite image this JVM did not prepare.
 * Made on the first test thread that needs them; {@link #close()} runs when the whole suite
 * ends (JUnit closes it from the root extension store).
 */
final class TestImages implements AutoCloseable {

    /** The debootstrap base; {@code -Dambassadord.docker.base=...} picks another (such as debian:bookworm-slim). */
    private static final String BASE = System.getProperty("ambassadord.docker.base", "ambassadord-base:bookworm");
    /** Bump the tag when the image's content changes, so that a cached older one is not used. */
    private static final String BUSYBOX = "ambassadord-e2e-busybox:1";
    private static final Path BUSYBOX_BINARY = Path.of("/bin/busybox");
    /** The suite's images this JVM made or found, on the engine under test. */
    private static final Set<String> PREPARED = ConcurrentHashMap.newKeySet();

    private final String underTest;

    private TestImages(String underTest) {
        this.underTest = underTest;
    }

    /** Makes the cached images when missing, then builds the image under test. */
    static TestImages prepare() {
        System.out.println("end-to-end tests against the " + DockerEngines.describe());
        Leftovers.removeThoseOfEndedRuns();
        base();
        busybox();
        String tag = Leftovers.IMAGE_TAG_PREFIX + ProcessHandle.current().pid();
        long started = System.nanoTime();
        Docker.Result build = runOrFail(Duration.ofMinutes(10), List.of("docker", "build", "--quiet", "--tag", tag,
                "--build-arg", "BASE_IMAGE=" + BASE, moduleDirectory().toString()));
        System.out.printf("built %s from %s in %d ms: %s%n", tag, BASE, (System.nanoTime() - started) / 1_000_000,
                build.out().strip());
        PREPARED.add(tag);
        return new TestImages(tag);
    }

    /** The base image, made first when the engine does not have it. */
    static synchronized String base() {
        if (!PREPARED.contains(BASE)) {
            ensureBase();
            PREPARED.add(BASE);
        }
        return BASE;
    }

    /** The busybox image for backends and clients, made first when the engine does not have it. */
    static synchronized String busybox() {
        if (!PREPARED.contains(BUSYBOX)) {
            ensureBusybox();
            PREPARED.add(BUSYBOX);
        }
        return BUSYBOX;
    }

    /**
     * The suite's image among {@code arguments} that this JVM did not prepare, if any: a
     * test that names one without asking this class for it passes only where another test
     * class happened to make it first.
     */
    static Optional<String> unprepared(List<String> arguments) {
        return arguments.stream()
                .filter(argument -> argument.equals(BASE) || argument.equals(BUSYBOX)
                        || argument.startsWith(Leftovers.IMAGE_TAG_PREFIX))
                .filter(image -> !PREPARED.contains(image))
                .findFirst();
    }

    /** The image built from the Dockerfile for this run. */
    String underTest() {
        return underTest;
    }

    private static void ensureBase() {
        if (exists(BASE)) {
            return;
        }
        if (DockerEngines.second() && copyFromSystemEngine(BASE)) {
            return;
        }
        Path script = resource("/docker/make-base-image.sh");
        long started = System.nanoTime();
        Docker.Result made = runOrFail(Duration.ofMinutes(20), List.of("sh", script.toString(), BASE));
        System.out.printf("made base image %s in %d s:%n%s", BASE, (System.nanoTime() - started) / 1_000_000_000, made.out());
    }

    /** A root file system of one static busybox and a link per applet, imported as an image. */
    private static void ensureBusybox() {
        if (exists(BUSYBOX)) {
            return;
        }
        if (!Files.isRegularFile(BUSYBOX_BINARY)) {
            fail(BUSYBOX_BINARY + " not found: install Debian package busybox-static");
        }
        Path root = null;
        try {
            root = Files.createTempDirectory("ambassadord-e2e-busybox");
            Path bin = Files.createDirectories(root.resolve("bin"));
            Files.copy(BUSYBOX_BINARY, bin.resolve("busybox"));
            Docker.Result applets = runOrFail(Duration.ofSeconds(30), List.of(BUSYBOX_BINARY.toString(), "--list"));
            for (String applet : applets.out().split("\\s+")) {
                if (!applet.isEmpty() && !applet.equals("busybox") && !applet.contains("/")) {
                    Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
                }
            }
            runOrFail(Duration.ofMinutes(2), List.of("sh", "-c", "tar --numeric-owner -C \"$1\" -c . | docker import - \"$2\"",
                    "import", root.toString(), BUSYBOX));
        } catch (IOException e) {
            fail("cannot make the busybox root file system: " + e);
        } finally {
            deleteTree(root);
        }
        // Debian's plain busybox package is dynamically linked and cannot run in an image
        // without a libc: this is where that shows.
        PREPARED.add(BUSYBOX);
        Docker.Result probe = Docker.run("run", "--rm", BUSYBOX, "true");
        if (!probe.succeeded()) {
            PREPARED.remove(BUSYBOX);
            Docker.run("rmi", BUSYBOX);
            fail(BUSYBOX_BINARY + " does not run alone in an image (is it dynamically linked?): install Debian package"
                    + " busybox-static\n" + probe.describe());
        }
    }

    /** {@code docker save} on the system engine into {@code docker load} on the second. */
    private static boolean copyFromSystemEngine(String image) {
        Docker.Result copied = runOrFail(Duration.ofMinutes(5), List.of("sh", "-c",
                "if DOCKER_HOST=unix://" + DockerEngines.SYSTEM_SOCKET + " docker image inspect \"$1\" >/dev/null 2>&1; then"
                        + " DOCKER_HOST=unix://" + DockerEngines.SYSTEM_SOCKET + " docker save \"$1\" | docker load; else echo absent; fi",
                "copy", image));
        return !copied.out().contains("absent");
    }

    private static boolean exists(String image) {
        return Docker.run("image", "inspect", "--format", "{{.Id}}", image).succeeded();
    }

    private static Docker.Result runOrFail(Duration limit, List<String> command) {
        Docker.Result result;
        try {
            result = Docker.exec(command, limit);
        } catch (IOException e) {
            return fail("cannot run " + command + ": " + e.getMessage());
        }
        if (!result.succeeded()) {
            fail(result.describe());
        }
        return result;
    }

    /** distribution/, the build context: failsafe runs in the module directory and says so in basedir. */
    static Path moduleDirectory() {
        Path directory = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
        if (!Files.isRegularFile(directory.resolve("Dockerfile"))) {
            fail("no Dockerfile in [" + directory + "]: run the suite through mvn verify in distribution/");
        }
        if (!Files.isDirectory(directory.resolve("target/ambassadord/plugins"))) {
            fail("no jlink image in [" + directory.resolve("target/ambassadord") + "]: run mvn -B package first");
        }
        return directory;
    }

    private static Path resource(String name) {
        URL url = TestImages.class.getResource(name);
        if (url == null) {
            return fail("test resource [" + name + "] is missing from the test class path");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            return fail("test resource [" + name + "] is not a file: " + url);
        }
    }

    private static void deleteTree(Path root) {
        if (root == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            System.err.println("cannot delete " + root + ": " + e.getMessage());
        }
    }

    /** Removes the image under test; the cached base and busybox images stay. */
    @Override
    public void close() {
        Docker.Result removed = Docker.run("rmi", "--force", underTest);
        if (!removed.succeeded()) {
            System.err.println("cannot remove image " + underTest + ": " + removed.err());
        }
    }
}
