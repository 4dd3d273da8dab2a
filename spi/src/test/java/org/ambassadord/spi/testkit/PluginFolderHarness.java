package org.ambassadord.spi.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.lang.module.FindException;
import java.lang.module.ModuleFinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A plugin as the distribution deploys it, for a test that loads it the way core does: the
 * folder {@code plugins/<name>/} with the plugin jar and its runtime dependency jars, and a
 * child JVM whose boot layer holds only the SPI, tinylog and the JDK modules the plugin
 * names, as the jlink image does ({@code --limit-modules}). There every jar is a module (the
 * automatic ones too), so a split package, a missing {@code requires} or a JDK module
 * missing from the image fails, which surefire's module path and class path can hide.
 *
 * <p>Reads what Maven prepared for the module under test: its {@code target/classes} and the
 * runtime dependencies that maven-dependency-plugin copies to {@code target/plugin-layer}
 * (see the plugin's pom). The SPI and tinylog jars of the child's boot layer come from
 * surefire's module path ({@code jdk.module.path}).
 */
public final class PluginFolderHarness {

    /** The distribution's boot modules that a plugin sees besides the JDK's. */
    public static final List<String> BOOT_MODULES = List.of("org.ambassadord.spi", "org.tinylog.api", "org.tinylog.impl");

    private final String name;
    private final List<String> jdkModules;
    private final Path dependencies;
    private final Path pluginClasses;

    private PluginFolderHarness(String name, List<String> jdkModules, Path dependencies, Path pluginClasses) {
        this.name = name;
        this.jdkModules = List.copyOf(jdkModules);
        this.dependencies = dependencies;
        this.pluginClasses = pluginClasses;
    }

    /**
     * The harness for the module whose tests run now.
     *
     * @param name       the plugin folder's name ({@code plugins/<name>/})
     * @param jdkModules the JDK modules the plugin needs in the boot layer besides
     *                   {@code java.base}: what the distribution's image must hold for it
     */
    public static PluginFolderHarness forModuleUnderTest(String name, List<String> jdkModules) {
        Path basedir = Path.of(System.getProperty("basedir", "."));
        return new PluginFolderHarness(name, jdkModules, basedir.resolve(Path.of("target", "plugin-layer")),
                basedir.resolve(Path.of("target", "classes")));
    }

    /**
     * Builds {@code <directory>/plugins/<name>/}: the dependency jars, without those of boot
     * modules (the distribution leaves them out too), and the plugin's classes as a jar.
     *
     * @return the plugin folder
     */
    public Path buildFolder(Path directory) throws IOException {
        if (!Files.isDirectory(dependencies)) {
            fail("no dependency folder [" + dependencies + "]: maven-dependency-plugin fills it before the tests"
                    + " (run the tests through Maven)");
        }
        Path folder = Files.createDirectories(directory.resolve("plugins").resolve(name));
        try (Stream<Path> files = Files.list(dependencies)) {
            for (Path jar : files.filter(file -> file.toString().endsWith(".jar")).sorted().toList()) {
                if (!holdsBootModule(jar)) {
                    Files.copy(jar, folder.resolve(jar.getFileName()));
                }
            }
        }
        jar(pluginClasses, folder.resolve("ambassadord-plugin-" + name + ".jar"));
        return folder;
    }

    /**
     * The command line of a child JVM with the limited boot layer that runs {@code mainClass}
     * from the class path (see {@link ChildJvm#command}).
     */
    public List<String> javaCommand(List<String> jvmOptions, Class<?> mainClass, List<String> arguments) {
        List<String> bootModules = new ArrayList<>(BOOT_MODULES);
        bootModules.addAll(jdkModules);
        List<String> options = new ArrayList<>(List.of(
                "--module-path", bootModulePath(),
                "--limit-modules", String.join(",", bootModules),
                "--add-modules", String.join(",", bootModules)));
        options.addAll(jvmOptions);
        return ChildJvm.command(options, mainClass, arguments);
    }

    /** The jars (or directories) of {@link #BOOT_MODULES} on surefire's module path. */
    private static String bootModulePath() {
        String modulePath = System.getProperty("jdk.module.path");
        if (modulePath == null) {
            return fail("no module path: the tests must run on the module path to find " + BOOT_MODULES);
        }
        List<String> entries = Arrays.stream(modulePath.split(File.pathSeparator))
                .filter(entry -> holdsBootModule(Path.of(entry)))
                .toList();
        if (entries.size() != BOOT_MODULES.size()) {
            fail("expected the jars of " + BOOT_MODULES + " on the module path, found " + entries + " in [" + modulePath + "]");
        }
        return String.join(File.pathSeparator, entries);
    }

    private static boolean holdsBootModule(Path entry) {
        Set<String> names;
        try {
            names = ModuleFinder.of(entry).findAll().stream()
                    .map(reference -> reference.descriptor().name())
                    .collect(Collectors.toSet());
        } catch (FindException e) {
            // Not a module we know; if it is broken, loading the folder says so.
            return false;
        }
        return BOOT_MODULES.stream().anyMatch(names::contains);
    }

    private static void jar(Path classes, Path jar) throws IOException {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace(File.separatorChar, '/')));
                Files.copy(file, out);
                out.closeEntry();
            }
        }
    }
}
