package org.ambassadord.plugin.consul;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.ambassadord.plugin.consul.kvserver.ConsulKvTestServer;
import org.ambassadord.plugin.consul.kvserver.KvTestClient;
import org.ambassadord.spi.testkit.ChildJvm;
import org.ambassadord.spi.testkit.PluginFolderHarness;
import org.ambassadord.spi.testkit.PluginLayerProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin as the distribution deploys it: a {@code plugins/consul/} folder with the plugin
 * jar and its runtime dependencies, loaded as one {@link ModuleLayer} in a child JVM whose
 * boot layer holds only the SPI, tinylog and the JDK modules listed here (see
 * {@link PluginFolderHarness}). Every jar is a module there (consul-api and httpclient as
 * automatic ones), so a split package, a missing {@code requires} or a JDK module missing
 * from the image fails this test.
 */
class PluginLayerTest {

    /**
     * What the distribution's boot layer must hold for this plugin besides the SPI and
     * tinylog: java.logging (consul-api logs through it) and java.naming (consul-api's static
     * default client links httpclient's TLS host name verifier, which uses javax.naming).
     */
    static final List<String> JDK_MODULES_FOR_THE_PLUGIN = List.of("java.logging", "java.naming");

    @Test
    void theProviderRunsFromAPluginFolderLayerAgainstTheTestServer(@TempDir Path directory) throws Exception {
        PluginFolderHarness harness = PluginFolderHarness.forModuleUnderTest("consul", JDK_MODULES_FOR_THE_PLUGIN);
        Path folder = harness.buildFolder(directory);

        try (ConsulKvTestServer server = ConsulKvTestServer.start()) {
            new KvTestClient(server).put("layer/nodes/a", "127.0.0.1:6379");
            server.requireToken("layer-token");
            ChildJvm.Result probe = ChildJvm.run(harness.javaCommand(
                    // httpclient's debug lines prove that its logging reaches tinylog.
                    List.of("-Dtinylog.level@org.apache.http=debug"),
                    PluginLayerProbe.class,
                    List.of(folder.toString(), "consul", "consul://" + server.address() + "/layer/nodes",
                            "--env", "CONSUL_HTTP_TOKEN=layer-token")),
                    Duration.ofSeconds(30));
            String output = probe.output();
            assertEquals(0, probe.exitCode(), "probe output:\n" + output);
            // The first resolve answers: before the first read it waits for it, it does not refuse.
            assertFalse(output.contains("NOT YET"), output);
            assertTrue(output.contains("ANSWER [/127.0.0.1:6379]"), output);
            assertTrue(output.contains("consul.api") && output.contains("org.tinylog.api.slf4j"), output);
            assertTrue(output.contains("Connection request"), "httpclient's debug logging must reach tinylog:\n" + output);
        }
    }
}
