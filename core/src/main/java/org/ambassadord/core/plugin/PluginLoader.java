package org.ambassadord.core.plugin;

import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
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
 *
 * <p>A folder with a {@link PluginDescriptor} is only indexed at start: its layer is defined
 * when a spec first needs one of its schemes ({@link #defineFor}), which for most commands is
 * never — defining a layer (reading its jars' module descriptors, linking, starting its
 * classes) was most of the start-up time. Thread-safe: omni mode defines nested schemes'
 * layers from its background opener.
 */
public final class PluginLoader implements DeferredProviders {

    private static final String BUILT_IN = "built-in";

    private final List<Discovered<BackendProvider>> providers = new ArrayList<>();
    private final List<Discovered<NetworkSetup>> setups = new ArrayList<>();
    private final List<Discovered<OriginalDestinationLookup>> lookups = new ArrayList<>();
    private final List<PluginFailure> failures = new ArrayList<>();
    /** Folders indexed by their descriptor and not defined yet, by scheme; guarded by this. */
    private final Map<String, Path> deferredBySchemes = new LinkedHashMap<>();
    private final Map<Path, PluginDescriptor> deferred = new LinkedHashMap<>();

    private PluginLoader() {
    }

    /**
     * Loads everything now, every plugin layer defined ({@code --list-providers}, tests).
     *
     * @param pluginsDirectory the plugins directory, or {@code null} for built-in services only;
     *                         a directory that does not exist holds no plugins
     */
    public static InstalledServices load(Path pluginsDirectory) {
        PluginLoader loader = index(pluginsDirectory);
        return loader.defineAll();
    }

    /**
     * Loads the built-in services and the plugins without a descriptor; indexes the others
     * by their descriptors, to be defined when needed.
     */
    public static PluginLoader index(Path pluginsDirectory) {
        PluginLoader loader = new PluginLoader();
        loader.loadBuiltIn();
        if (pluginsDirectory != null && Files.isDirectory(pluginsDirectory)) {
            for (Path entry : entriesOf(pluginsDirectory, loader.failures)) {
                loader.indexOrLoad(entry);
            }
        }
        return loader;
    }

    /** What is loaded now, plugins defined so far included. */
    public synchronized InstalledServices installed() {
        return new InstalledServices(providers, setups, lookups, failures);
    }

    /** Defines every deferred layer; everything installed. */
    public synchronized InstalledServices defineAll() {
        for (Path entry : List.copyOf(deferred.keySet())) {
            define(entry);
        }
        return installed();
    }

    @Override
    public synchronized Set<String> schemes() {
        return Set.copyOf(deferredBySchemes.keySet());
    }

    @Override
    public synchronized List<Discovered<BackendProvider>> defineFor(String scheme) {
        Path entry = deferredBySchemes.get(scheme);
        return entry == null ? List.of() : define(entry);
    }

    @Override
    public synchronized List<Discovered<BackendProvider>> defineSchemeless() {
        List<Discovered<BackendProvider>> defined = new ArrayList<>();
        for (Map.Entry<Path, PluginDescriptor> entry : List.copyOf(deferred.entrySet())) {
            if (entry.getValue().schemeless()) {
                defined.addAll(define(entry.getKey()));
            }
        }
        return defined;
    }

    private void indexOrLoad(Path entry) {
        Optional<PluginDescriptor> descriptor;
        try {
            descriptor = PluginDescriptor.of(entry);
        } catch (IOException e) {
            fail(entry.getFileName().toString(), e.getMessage());
            return;
        }
        if (descriptor.isEmpty()) {
            loadPlugin(entry);
            return;
        }
        deferred.put(entry, descriptor.get());
        for (String scheme : descriptor.get().schemes()) {
            Path earlier = deferredBySchemes.putIfAbsent(scheme, entry);
            if (earlier != null) {
                fail(entry.getFileName().toString(), "its descriptor names scheme [" + scheme + "], which plugin ["
                        + earlier.getFileName() + "] serves already");
            }
        }
    }

    /** Defines a deferred folder's layer; the backend providers it brought. */
    private List<Discovered<BackendProvider>> define(Path entry) {
        PluginDescriptor descriptor = deferred.remove(entry);
        if (descriptor == null) {
            return List.of();
        }
        deferredBySchemes.values().removeIf(entry::equals);
        int before = providers.size();
        long started = System.nanoTime();
        loadPlugin(entry);
        List<Discovered<BackendProvider>> defined = List.copyOf(providers.subList(before, providers.size()));
        Set<String> served = defined.stream().map(provider -> provider.service().scheme()).collect(Collectors.toSet());
        if (!served.equals(descriptor.schemes())) {
            Logger.warn("plugin [{}]: its descriptor names schemes {} but its layer serves {}", entry.getFileName(),
                    new java.util.TreeSet<>(descriptor.schemes()), new java.util.TreeSet<>(served));
        }
        Logger.debug("plugin [{}] defined on first use in {} ms", entry.getFileName(),
                (System.nanoTime() - started) / 1_000_000);
        return defined;
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
