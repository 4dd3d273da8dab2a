package org.ambassadord.plugin.omni;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.io.IOException;
import java.lang.module.ModuleFinder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.ambassadord.plugin.omni.probe.LayerProbe;
import org.junit.jupiter.api.Test;

/**
 * The plugin as the distribution loads it: the plugin and its dependencies in one module
 * layer above a boot layer that holds only the SPI and tinylog, in a child JVM. Surefire
 * opens the module under test to every unnamed module, which once hid an access error of
 * jnr-ffi's generated binding; this test has no such help.
 */
class PluginLayerTest {

    private static final Set<String> BOOT_MODULES = Set.of("org.ambassadord.spi", "org.tinylog.api", "org.tinylog.impl");
    private static final String REDIRECT_LOOPBACK = """
            *nat
            -A OUTPUT -o lo -p tcp -m tcp --dport 6379 -j REDIRECT --to-ports 10000
            COMMIT
            """;

    @Test
    void bothServicesWorkFromAPluginLayer() throws Exception {
        // The jars maven-dependency-plugin copied (see the pom), and this module's classes.
        Path layerDirectory = Path.of(System.getProperty("basedir", "."), "target", "plugin-layer");
        List<String> boot = new ArrayList<>(jars(layerDirectory.resolve("boot")));
        List<String> plugin = new ArrayList<>(List.of(Path.of(System.getProperty("basedir", "."), "target", "classes")
                .toString()));
        for (String jar : jars(layerDirectory.resolve("plugin"))) {
            boolean isBoot = ModuleFinder.of(Path.of(jar)).findAll().stream()
                    .anyMatch(module -> BOOT_MODULES.contains(module.descriptor().name()));
            (isBoot ? boot : plugin).add(jar);
        }
        assertEquals(3, boot.size(), "spi, tinylog-api and tinylog-impl: " + boot);
        try (NetworkNamespaces namespaces = NetworkNamespaces.create()) {
            String namespace = namespaces.add("layer");
            namespaces.restore(namespace, "iptables-restore", REDIRECT_LOOPBACK);
            List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace,
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED",
                    "--module-path", String.join(File.pathSeparator, boot),
                    "--add-modules", String.join(",", BOOT_MODULES),
                    "-Dtinylog.writer.level=warn",
                    "-cp", testClasses(), LayerProbe.class.getName()));
            command.addAll(plugin);
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor(60, TimeUnit.SECONDS);

            assertEquals(0, process.exitValue(), output);
            List<String> lines = output.lines().filter(line -> !line.startsWith("WARNING: ") && !line.isBlank()).toList();
            assertEquals(List.of("omni listens on [10000]", "original destination 127.0.0.1:6379"), lines, output);
        }
    }

    private static List<String> jars(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(Path::toString).filter(name -> name.endsWith(".jar")).sorted().toList();
        }
    }

    private static String testClasses() throws Exception {
        String resource = "/" + LayerProbe.class.getName().replace('.', '/') + ".class";
        Path classFile = Path.of(LayerProbe.class.getResource(resource).toURI());
        Path directory = classFile;
        for (int i = 0; i < resource.split("/").length - 1; i++) {
            directory = directory.getParent();
        }
        return directory.toString();
    }
}
