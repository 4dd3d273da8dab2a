package org.ambassadord.core.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.ambassadord.core.dispatch.BackendDispatcher;
import org.ambassadord.spi.Backend;
import org.ambassadord.spi.BackendProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plugins built at test time and dropped into a plugins directory, as a user would. */
class PluginLoaderTest {

    @TempDir
    Path work;
    private Path plugins;
    private PluginJars jars;

    @BeforeEach
    void setUp() throws IOException {
        plugins = Files.createDirectories(work.resolve("plugins"));
        jars = new PluginJars(Files.createDirectories(work.resolve("build")));
    }

    private Path dropJar(Path jar) throws IOException {
        return Files.copy(jar, plugins.resolve(jar.getFileName()));
    }

    private static Optional<Discovered<BackendProvider>> provider(InstalledServices services, String scheme) {
        return services.backendProviders().stream().filter(found -> found.service().scheme().equals(scheme)).findFirst();
    }

    @Test
    void pluginJarIsFoundAndSelectedByItsScheme() throws Exception {
        dropJar(jars.provider("echo-plugin.jar", "test.echo", "2.5", "echo", "\"echo://anything\"", List.of(), List.of()));

        InstalledServices services = PluginLoader.load(plugins);

        Discovered<BackendProvider> echo = provider(services, "echo").orElseThrow();
        assertEquals("test.echo", echo.module());
        assertEquals("2.5", echo.version());
        assertEquals("echo-plugin.jar", echo.origin());
        assertTrue(services.failures().isEmpty(), services.failures().toString());
        BackendDispatcher dispatcher = BackendDispatcher.create(services.backendProviders(), null, Map.of());
        try (Backend backend = dispatcher.open("echo://anything")) {
            assertEquals(java.util.Set.of(4242), backend.listenPorts());
            assertEquals("test.echo", backend.getClass().getModule().getName());
        }
    }

    @Test
    void brokenJarIsReportedByNameWhileTheRestStillWork() throws Exception {
        dropJar(jars.provider("good.jar", "test.good", "1.0", "good", "\"good\"", List.of(), List.of()));
        Files.write(plugins.resolve("broken.jar"), new byte[] {'n', 'o', 't', ' ', 'a', ' ', 'j', 'a', 'r'});
        // Compiled against a library that is then not shipped: how a missing dependency looks.
        Path absentLibrary = jars.library("com.example.missing.jar", "x");
        dropJar(jars.provider("needy.jar", "test.needy", "1.0", "needy", "\"needy\"", List.of("com.example.missing"),
                List.of(absentLibrary)));

        InstalledServices services = PluginLoader.load(plugins);

        assertTrue(provider(services, "good").isPresent());
        assertTrue(provider(services, "needy").isEmpty());
        assertEquals(List.of("broken.jar", "needy.jar"), services.failures().stream().map(PluginFailure::plugin).toList());
        PluginFailure needy = services.failures().get(1);
        assertTrue(needy.reason().contains("com.example.missing"), needy.reason());
        services.failures().forEach(failure -> assertTrue(!failure.reason().contains("\n"), failure.reason()));
    }

    @Test
    void pluginFoldersEachGetTheirOwnVersionOfALibrary() throws Exception {
        for (String version : new String[] {"one", "two"}) {
            Path folder = Files.createDirectories(plugins.resolve("greeter-" + version));
            Path library = jars.library("greetlib-" + version + ".jar", "greeting " + version);
            Path namedLibrary = Files.copy(library, folder.resolve("greetlib.jar"));
            Path plugin = jars.provider("greeter-" + version + ".jar", "test.greeter." + version, "1.0", "greet" + version,
                    "lib.Greeting.text()", List.of("greetlib"), List.of(namedLibrary));
            Files.copy(plugin, folder.resolve(plugin.getFileName()));
        }

        InstalledServices services = PluginLoader.load(plugins);

        assertTrue(services.failures().isEmpty(), services.failures().toString());
        assertEquals("greeting one", provider(services, "greetone").orElseThrow().service().description());
        assertEquals("greeting two", provider(services, "greettwo").orElseThrow().service().description());
        assertEquals("greeter-one", provider(services, "greetone").orElseThrow().origin());
    }

    @Test
    void twoPluginsOfOneSchemeStopStartUpNamingBoth() throws Exception {
        dropJar(jars.provider("first.jar", "test.first", "1.0", "same", "\"1\"", List.of(), List.of()));
        dropJar(jars.provider("second.jar", "test.second", "1.0", "same", "\"2\"", List.of(), List.of()));

        InstalledServices services = PluginLoader.load(plugins);

        BackendDispatcher.DuplicateSchemeException error = assertThrows(BackendDispatcher.DuplicateSchemeException.class,
                () -> BackendDispatcher.create(services.backendProviders(), null, Map.of()));
        assertTrue(error.getMessage().contains("[test.first]") && error.getMessage().contains("[test.second]"),
                error.getMessage());
    }

    @Test
    void jarWithoutAServiceIsReported() throws Exception {
        dropJar(jars.library("just-a-library.jar", "x"));
        InstalledServices services = PluginLoader.load(plugins);
        assertEquals("just-a-library.jar", services.failures().get(0).plugin());
        assertTrue(services.failures().get(0).reason().contains("provides no ambassadord service"));
    }

    @Test
    void missingDirectoryMeansNoPlugins() {
        InstalledServices services = PluginLoader.load(work.resolve("does-not-exist"));
        assertTrue(services.failures().isEmpty());
    }

    /**
     * A folder with a descriptor is indexed, not defined: its layer appears only when a spec
     * needs its scheme, and the dispatcher knows the scheme meanwhile.
     */
    @Test
    void aFolderWithADescriptorIsDefinedOnlyWhenItsSchemeIsNeeded() throws Exception {
        Path folder = Files.createDirectories(plugins.resolve("echo"));
        Files.copy(jars.provider("echo-plugin.jar", "test.echo", "2.5", "echo", "\"echo://anything\"", List.of(), List.of()),
                folder.resolve("echo-plugin.jar"));
        Files.writeString(folder.resolve(PluginDescriptor.FILE_NAME), "schemes=echo\nschemeless=false\n");

        PluginLoader loader = PluginLoader.index(plugins);
        assertTrue(provider(loader.installed(), "echo").isEmpty(), "not defined at start");
        assertEquals(java.util.Set.of("echo"), loader.schemes());
        BackendDispatcher dispatcher = BackendDispatcher.create(loader.installed().backendProviders(), loader, null,
                Map.of(), Optional.empty());
        assertTrue(dispatcher.hasScheme("echo"));
        assertTrue(ModuleLayer.boot().findModule("test.echo").isEmpty());

        try (Backend backend = dispatcher.open("echo://anything")) {
            assertEquals("test.echo", backend.getClass().getModule().getName());
        }
        assertTrue(provider(loader.installed(), "echo").isPresent(), "defined on first use");
        assertEquals(java.util.Set.of(), loader.schemes());
    }
}
