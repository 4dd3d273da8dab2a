package org.ambassadord.plugin.consul;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.ambassadord.plugin.consul.kvserver.ConsulKvTestServer;
import org.ambassadord.plugin.consul.kvserver.KvTestClient;
import org.ambassadord.plugin.consul.layerprobe.PluginFolderProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin as the distribution deploys it: a {@code plugins/consul/} folder with the plugin
 * jar and its runtime dependencies, loaded as one {@link ModuleLayer} in a child JVM whose
 * boot layer holds only the SPI, tinylog and the JDK modules listed here. Every jar is a
 * module there (consul-api and httpclient as automatic ones), so a split package, a missing
 * {@code requires} or a JDK module missing from the image fails this test.
 */
class PluginLayerTest {

    /** Filled by maven-dependency-plugin before the tests (see the pom). */
    private static final Path DEPENDENCIES = Path.of("target", "plugin-layer");
    private static final Path PLUGIN_CLASSES = Path.of("target", "classes");
    private static final Path TEST_CLASSES = Path.of("target", "test-classes");
    /**
     * What the distribution's boot layer must hold for this plugin besides the SPI and
     * tinylog: java.logging (consul-api logs through it) and java.naming (consul-api's static
     * default client links httpclient's TLS host name verifier, which uses javax.naming).
     */
    static final List<String> JDK_MODULES_FOR_THE_PLUGIN = List.of("java.logging", "java.naming");

    @Test
    void theProviderRunsFromAPluginFolderLayerAgainstTheTestServer(@TempDir Path pluginFolder) throws Exception {
        try (Stream<Path> jars = Files.list(DEPENDENCIES)) {
            for (Path jar : jars.toList()) {
                Files.copy(jar, pluginFolder.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        jar(PLUGIN_CLASSES, pluginFolder.resolve("ambassadord-plugin-consul-0.1.0.jar"));

        try (ConsulKvTestServer server = ConsulKvTestServer.start()) {
            new KvTestClient(server).put("layer/nodes/a", "127.0.0.1:6379");
            server.requireToken("layer-token");
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--module-path", bootModulePath(),
                    "--limit-modules", String.join(",", bootModules()),
                    "--add-modules", String.join(",", bootModules()),
                    // httpclient's debug lines prove that its logging reaches tinylog.
                    "-Dtinylog.level@org.apache.http=debug",
                    "-cp", TEST_CLASSES.toString(),
                    PluginFolderProbe.class.getName(),
                    pluginFolder.toString(),
                    "consul://" + server.address() + "/layer/nodes",
                    "layer-token"));
            Process probe = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(probe.waitFor(30, TimeUnit.SECONDS), "probe finished");
            assertEquals(0, probe.exitValue(), "probe output:\n" + output);
            assertTrue(output.contains("ANSWER [/127.0.0.1:6379]"), output);
            assertTrue(output.contains("consul.api") && output.contains("org.tinylog.api.slf4j"), output);
            assertTrue(output.contains("Connection request"), "httpclient's debug logging must reach tinylog:\n" + output);
        }
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
