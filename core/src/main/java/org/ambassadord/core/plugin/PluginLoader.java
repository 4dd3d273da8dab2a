package org.ambassadord.core.plugin;

import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.ambassadord.spi.BackendProvider;
import org.ambassadord.spi.NetworkSetup;
import org.ambassadord.spi.OriginalDestinationLookup;
import org.tinylog.Logger;

/**
 * Finds every service implementation: those built into the image (the boot layer and the
 * class path) and those of each jar or folder in the plugins directory, one
 * {@link ModuleLayer} per entry. A plugin that fails is recorded with its name and reason;
 * the rest still load.
 */
public final class PluginLoader {

    private static final String BUILT_IN = "built-in";

    private final List<Discovered<BackendProvider>> providers = new ArrayList<>();
    private final List<Discovered<NetworkSetup>> setups = new ArrayList<>();
    private final List<Discovered<OriginalDestinationLookup>> lookups = new ArrayList<>();
    private final List<PluginFailure> failures = new ArrayList<>();

    private PluginLoader() {
    }

    /**
     * @param pluginsDirectory the plugins directory, or {@code null} for built-in services only;
     *                         a directory that does not exist holds no plugins
     */
    public static InstalledServices load(Path pluginsDirectory) {
        PluginLoader loader = new PluginLoader();
        loader.loadBuiltIn();
        if (pluginsDirectory != null && Files.isDirectory(pluginsDirectory)) {
            for (Path entry : entriesOf(pluginsDirectory, loader.failures)) {
                loader.loadPlugin(entry);
            }
        }
        return new InstalledServices(loader.providers, loader.setups, loader.lookups, loader.failures);
    }

    private void loadBuiltIn() {
        // The thread's context loader sees the boot layer's modules and the class path alike.
        collect(ServiceLoader.load(BackendProvider.class), provider -> true, BUILT_IN, providers);
        collect(ServiceLoader.load(NetworkSetup.class), provider -> true, BUILT_IN, setups);
        collect(ServiceLoader.load(OriginalDestinationLookup.class), provider -> true, BUILT_IN, lookups);
    }

    private void loadPlugin(Path entry) {
        String name = entry.getFileName().toString();
        try {
            ModuleLayer layer = PluginLayers.create(entry);
            // A layer's ServiceLoader also sees its parents' providers: keep this layer's own.
            Predicate<ServiceLoader.Provider<?>> ownLayer = provider -> provider.type().getModule().getLayer() == layer;
            int before = providers.size() + setups.size() + lookups.size();
            collect(ServiceLoader.load(layer, BackendProvider.class), ownLayer, name, providers);
            collect(ServiceLoader.load(layer, NetworkSetup.class), ownLayer, name, setups);
            collect(ServiceLoader.load(layer, OriginalDestinationLookup.class), ownLayer, name, lookups);
            if (providers.size() + setups.size() + lookups.size() == before) {
                fail(name, "it provides no ambassadord service (org.ambassadord.spi.BackendProvider, NetworkSetup or OriginalDestinationLookup)");
            } else {
                Logger.debug("loaded plugin [{}]: modules {}", name, layer.modules().stream().map(Module::getName).sorted().toList());
            }
        } catch (PluginLayers.PluginLoadException e) {
            fail(name, e.getMessage());
        } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
            fail(name, PluginLayers.oneLine(e));
        }
    }

    private <S> void collect(ServiceLoader<S> loader, Predicate<ServiceLoader.Provider<?>> keep,
                             String origin, List<Discovered<S>> into) {
        loader.stream().filter(keep).forEach(provider -> {
            Module module = provider.type().getModule();
            into.add(new Discovered<>(provider.get(), moduleName(module), versionOf(module, provider.type()), origin));
        });
    }

    private void fail(String plugin, String reason) {
        failures.add(new PluginFailure(plugin, reason));
        Logger.error("plugin [{}] not loaded: {}", plugin, reason);
    }

    private static List<Path> entriesOf(Path directory, List<PluginFailure> failures) {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.filter(entry -> !entry.getFileName().toString().startsWith("."))
                    .filter(entry -> Files.isDirectory(entry) || entry.getFileName().toString().endsWith(".jar"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            failures.add(new PluginFailure(directory.toString(), "cannot list the plugins directory: " + e.getMessage()));
            return List.of();
        }
    }

    private static String moduleName(Module module) {
        return module.isNamed() ? module.getName() : "unnamed";
    }

    private static String versionOf(Module module, Class<?> type) {
        ModuleDescriptor descriptor = module.getDescriptor();
        if (descriptor != null && descriptor.rawVersion().isPresent()) {
            return descriptor.rawVersion().get();
        }
        String implementationVersion = type.getPackage().getImplementationVersion();
        return implementationVersion != null ? implementationVersion : "-";
    }
}
