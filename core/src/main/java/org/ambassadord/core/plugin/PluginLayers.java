package org.ambassadord.core.plugin;

import java.io.IOException;
import java.lang.module.Configuration;
import java.lang.module.FindException;
import java.lang.module.ModuleFinder;
import java.lang.module.ResolutionException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Turns one entry of the plugins directory into its own {@link ModuleLayer} whose parent is
 * the boot layer, so that two plugins may carry different versions of one library.
 *
 * <p>An entry is a jar (the plugin module alone) or a folder of jars (the plugin module and
 * its dependencies, which may be automatic modules). Like Elasticsearch's plugin loader, the
 * boot layer is searched before the plugin's own jars: a plugin that bundles its own copy of
 * the SPI or of a boot module cannot shadow it.
 */
final class PluginLayers {

    private PluginLayers() {
    }

    /**
     * @throws PluginLoadException naming the reason in one line
     */
    static ModuleLayer create(Path entry) throws PluginLoadException {
        List<Path> jars = jarsOf(entry);
        if (jars.isEmpty()) {
            throw new PluginLoadException("no jar in it");
        }
        ModuleFinder finder = ModuleFinder.of(jars.toArray(Path[]::new));
        ModuleLayer boot = ModuleLayer.boot();
        Set<String> roots;
        try {
            roots = finder.findAll().stream()
                    .map(reference -> reference.descriptor().name())
                    .filter(name -> boot.findModule(name).isEmpty())
                    .collect(Collectors.toSet());
        } catch (FindException e) {
            throw new PluginLoadException(oneLine(e));
        }
        if (roots.isEmpty()) {
            throw new PluginLoadException("it holds no module that is not already built in");
        }
        try {
            Configuration configuration = Configuration.resolveAndBind(
                    ModuleFinder.of(), List.of(boot.configuration()), finder, roots);
            ModuleLayer.Controller controller = ModuleLayer.defineModulesWithOneLoader(
                    configuration, List.of(boot), ClassLoader.getSystemClassLoader());
            NativeAccess.enable(controller);
            return controller.layer();
        } catch (FindException | ResolutionException | LayerInstantiationException | SecurityException e) {
            throw new PluginLoadException(oneLine(e));
        }
    }

    private static List<Path> jarsOf(Path entry) throws PluginLoadException {
        if (!Files.isDirectory(entry)) {
            return List.of(entry);
        }
        try (Stream<Path> files = Files.list(entry)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".jar"))
                    .filter(file -> !file.getFileName().toString().startsWith("."))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new PluginLoadException("cannot list it: " + e.getMessage());
        }
    }

    /** An error's message as one line, for the one line a plugin failure gets. */
    static String oneLine(Throwable error) {
        String message = error.getMessage() == null ? error.toString() : error.getMessage();
        return org.ambassadord.core.logging.LogText.joinLines(message, "; ");
    }

    /** Why an entry could not become a layer. */
    static final class PluginLoadException extends Exception {
        private static final long serialVersionUID = 1L;

        PluginLoadException(String message) {
            super(message);
        }
    }
}
