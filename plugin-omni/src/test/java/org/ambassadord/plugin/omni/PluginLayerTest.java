package org.ambassadord.plugin.omni;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.ambassadord.plugin.omni.probe.LayerProbe;
import org.ambassadord.spi.testkit.ChildJvm;
import org.ambassadord.spi.testkit.NetworkNamespaces;
import org.ambassadord.spi.testkit.PluginFolderHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin as the distribution loads it: the plugin and its dependencies in one module
 * layer above a boot layer that holds only the SPI, tinylog and the JDK modules listed here,
 * in a child JVM (see {@link PluginFolderHarness}). Surefire opens the module under test to
 * every unnamed module, which once hid an access error of jnr-ffi's generated binding; this
 * test has no such help.
 */
class PluginLayerTest {

    /**
     * What the distribution's boot layer must hold for this plugin besides the SPI and
     * tinylog, as the plugin's explicit dependency modules require them: java.desktop
     * (commons-lang3), java.compiler (error_prone_annotations), java.logging (Guava),
     * java.naming and java.sql (Bouncy Castle's provider).
     */
    private static final List<String> JDK_MODULES_FOR_THE_PLUGIN = List.of(
            "java.desktop", "java.compiler", "java.logging", "java.naming", "java.sql");
    private static final String REDIRECT_LOOPBACK = """
            *nat
            -A OUTPUT -o lo -p tcp -m tcp --dport 6379 -j REDIRECT --to-ports 10000
            COMMIT
            """;

    @Test
    void bothServicesWorkFromAPluginLayer(@TempDir Path directory) throws Exception {
        PluginFolderHarness harness = PluginFolderHarness.forModuleUnderTest("omni", JDK_MODULES_FOR_THE_PLUGIN);
        Path folder = harness.buildFolder(directory);
        NetworkNamespaces.requireProgram("iptables-restore", "iptables");
        try (NetworkNamespaces namespaces = NetworkNamespaces.create()) {
            String namespace = namespaces.add("layer");
            namespaces.restore(namespace, "iptables-restore", REDIRECT_LOOPBACK);
            List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
            command.addAll(harness.javaCommand(
                    List.of("--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED", "-Dtinylog.writer.level=warn"),
                    LayerProbe.class, List.of(folder.toString())));
            ChildJvm.Result probe = ChildJvm.run(command, Duration.ofSeconds(60));

            String output = probe.output();
            assertEquals(0, probe.exitCode(), output);
            List<String> lines = output.lines().filter(line -> !line.startsWith("WARNING: ") && !line.isBlank()).toList();
            assertEquals(List.of("omni listens on [10000]", "original destination 127.0.0.1:6379"), lines, output);
        }
    }
}
