package org.ambassadord.plugin.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.module.ModuleDescriptor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.ambassadord.plugin.etcd.layerprobe.PluginFolderProbe;
import org.ambassadord.spi.BackendProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin as the distribution deploys it: a {@code plugins/etcd/} folder with the plugin
 * jar and its runtime dependencies, loaded as one {@link ModuleLayer} over a boot layer that
 * holds only the SPI, tinylog and a few JDK modules.
 *
 * <p>Surefire's module path holds just the plugin and jetcd; the rest of jetcd's dependencies
 * run from the class path there. Here every jar is a module (the automatic ones too), so a
 * split package, a duplicate module or a JDK module missing from the boot layer fails. It runs
 * in a child JVM whose boot layer is limited to what the distribution's image must hold.
 */
class PluginLayerTest {

    /** Filled by maven-dependency-plugin before the tests (see the pom). */
    private static final Path DEPENDENCIES = Path.of("target", "plugin-layer");
    private static final Path PLUGIN_CLASSES = Path.of("target", "classes");
    private static final Path TEST_CLASSES = Path.of("target", "test-classes");
    /**
     * What the distribution's boot layer must resolve for this plugin besides the SPI and
     * tinylog: Vert.x needs java.compiler, java.logging and java.naming; Netty, Guava and
     * protobuf jdk.unsupported; gRPC and jetcd java.logging and java.naming.
     */
    static final List<String> JDK_MODULES_FOR_THE_PLUGIN = List.of(
            "java.logging", "java.naming", "java.compiler", "jdk.unsupported");

    @Test
    void theProviderRunsFromAPluginFolderLayerAgainstARealEtcd(@TempDir Path pluginFolder) throws Exception {
        try (Stream<Path> jars = Files.list(DEPENDENCIES)) {
            for (Path jar : jars.toList()) {
                Files.copy(jar, pluginFolder.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        jar(PLUGIN_CLASSES, pluginFolder.resolve("ambassadord-plugin-etcd.jar"));

        try (EtcdServer etcd = EtcdServer.startNew()) {
            etcd.put("/layer/nodes/a", "127.0.0.1:6379");
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--module-path", bootModulePath(),
                    "--limit-modules", String.join(",", bootModules()),
                    "--add-modules", String.join(",", bootModules()),
                    "-cp", TEST_CLASSES.toString(),
                    PluginFolderProbe.class.getName(),
                    pluginFolder.toString(),
                    "etcd://" + etcd.endpoint() + "/layer/nodes"));
            Process probe = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(probe.waitFor(30, TimeUnit.SECONDS), "probe finished");
            assertEquals(0, probe.exitValue(), "probe output:\n" + output);
            assertTrue(output.contains("PROVIDER org.ambassadord.plugin.etcd GRPC module io.grpc"), output);
            assertTrue(output.contains("ANSWER [/127.0.0.1:6379]"), output);
            // gRPC's java.util.logging INFO lines are turned down (EtcdClients).
            assertFalse(output.contains("TcpMetrics"), output);
        }
    }

    @Test
    void thePluginModuleExportsNothingAndProvidesOnlyItsBackendProvider() {
        ModuleDescriptor descriptor = EtcdBackendProvider.class.getModule().getDescriptor();
        assertEquals("org.ambassadord.plugin.etcd", descriptor.name());
        assertTrue(descriptor.exports().isEmpty(), "exports " + descriptor.exports());
        assertTrue(descriptor.uses().isEmpty(), "uses " + descriptor.uses());
        assertEquals(Set.of(BackendProvider.class.getName() + " with " + List.of(EtcdBackendProvider.class.getName())),
                descriptor.provides().stream().map(provides -> provides.service() + " with " + provides.providers())
                        .collect(Collectors.toSet()));
    }

    /** The boot modules of the distribution that matter here: SPI, tinylog, and the JDK modules above. */
    private static List<String> bootModules() {
        List<String> modules = new ArrayList<>(List.of("org.ambassadord.spi", "org.tinylog.api", "org.tinylog.impl"));
        modules.addAll(JDK_MODULES_FOR_THE_PLUGIN);
        return modules;
    }

    /** The SPI and tinylog jars from surefire's module path. */
    private static String bootModulePath() {
        return Arrays.stream(System.getProperty("jdk.module.path").split(File.pathSeparator))
                .filter(entry -> {
                    String name = Path.of(entry).getFileName().toString();
                    return name.matches("ambassadord-spi-[0-9.]+(-SNAPSHOT)?\\.jar")
                            || name.startsWith("tinylog-api-") || name.startsWith("tinylog-impl-");
                })
                .collect(Collectors.joining(File.pathSeparator));
    }

    private static void jar(Path classes, Path jar) throws Exception {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace(File.separatorChar, '/')));
                Files.copy(file, out);
                out.closeEntry();
            }
        }
    }
}
