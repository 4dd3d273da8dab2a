package org.ambassadord.plugin.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.ambassadord.spi.BackendProvider;
import org.ambassadord.spi.testkit.ChildJvm;
import org.ambassadord.spi.testkit.PluginFolderHarness;
import org.ambassadord.spi.testkit.PluginLayerProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin as the distribution deploys it: a {@code plugins/etcd/} folder with the plugin
 * jar and its runtime dependencies, loaded as one {@link ModuleLayer} in a child JVM whose
 * boot layer holds only the SPI, tinylog and the JDK modules listed here (see
 * {@link PluginFolderHarness}).
 *
 * <p>Surefire's module path holds just the plugin and jetcd; the rest of jetcd's dependencies
 * run from the class path there. In the plugin layer every jar is a module (the automatic
 * ones too), so a split package, a duplicate module or a JDK module missing from the boot
 * layer fails.
 */
class PluginLayerTest {

    /**
     * What the distribution's boot layer must resolve for this plugin besides the SPI and
     * tinylog: Vert.x needs java.compiler, java.logging and java.naming; Netty, Guava and
     * protobuf jdk.unsupported; gRPC and jetcd java.logging and java.naming.
     */
    static final List<String> JDK_MODULES_FOR_THE_PLUGIN = List.of(
            "java.logging", "java.naming", "java.compiler", "jdk.unsupported");

    @Test
    void theProviderRunsFromAPluginFolderLayerAgainstARealEtcd(@TempDir Path directory) throws Exception {
        PluginFolderHarness harness = PluginFolderHarness.forModuleUnderTest("etcd", JDK_MODULES_FOR_THE_PLUGIN);
        Path folder = harness.buildFolder(directory);

        try (EtcdServer etcd = EtcdServer.startNew()) {
            etcd.put("/layer/nodes/a", "127.0.0.1:6379");
            ChildJvm.Result probe = ChildJvm.run(harness.javaCommand(List.of(), PluginLayerProbe.class, List.of(
                    folder.toString(), "etcd", "etcd://" + etcd.endpoint() + "/layer/nodes",
                    "--module-of", "io.grpc.ManagedChannel")), Duration.ofSeconds(30));
            String output = probe.output();
            assertEquals(0, probe.exitCode(), "probe output:\n" + output);
            assertTrue(output.contains("PROVIDER org.ambassadord.plugin.etcd"), output);
            assertTrue(output.contains("CLASS io.grpc.ManagedChannel FROM module io.grpc"), output);
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
}
