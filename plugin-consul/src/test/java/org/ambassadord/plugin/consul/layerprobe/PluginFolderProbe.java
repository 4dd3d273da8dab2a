package org.ambassadord.plugin.consul.layerprobe;

import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.ambassadord.spi.Backend;
import org.ambassadord.spi.BackendProvider;
import org.ambassadord.spi.ClientConnection;
import org.ambassadord.spi.ProviderContext;

/**
 * Run in a child JVM by {@code PluginLayerTest}: loads a plugin folder into one module layer
 * over the boot layer, opens a spec through the {@code consul} provider found in that layer
 * and prints the answer.
 *
 * <p>The layer is resolved the strict way: the plugin module as the only root and no service
 * binding. core's {@code PluginLayers} makes every module of the folder a root and binds
 * services, which resolves a superset; what works here works there.
 *
 * <p>Arguments: the plugin folder, the spec, and the ACL token. Exit status 0 with
 * {@code ANSWER [...]} on standard output when it worked.
 */
public final class PluginFolderProbe {

    private PluginFolderProbe() {
    }

    public static void main(String[] args) throws Exception {
        ModuleLayer layer = defineLayer(Path.of(args[0]));
        BackendProvider provider = ServiceLoader.load(layer, BackendProvider.class).stream()
                .filter(candidate -> candidate.type().getModule().getLayer() == layer)
                .map(ServiceLoader.Provider::get)
                .filter(candidate -> candidate.scheme().equals("consul"))
                .findFirst().orElseThrow(() -> new IllegalStateException("no consul provider in the layer"));
        System.out.println("LAYER " + layer.modules().stream().map(Module::getName).sorted().toList());
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try (Backend backend = provider.open(args[1], context(scheduler, args[2]))) {
            ClientConnection connection = ClientConnection.of(
                    new InetSocketAddress("127.0.0.1", 40000), new InetSocketAddress("127.0.0.1", 10000));
            List<InetSocketAddress> answer = backend.resolve(connection).toCompletableFuture().get(10, TimeUnit.SECONDS);
            System.out.println("ANSWER " + answer);
        }
        scheduler.shutdownNow();
        System.exit(0);
    }

    private static ModuleLayer defineLayer(Path folder) throws Exception {
        Path[] jars;
        try (Stream<Path> files = Files.list(folder)) {
            jars = files.filter(file -> file.toString().endsWith(".jar")).sorted().toArray(Path[]::new);
        }
        ModuleLayer boot = ModuleLayer.boot();
        Configuration configuration = boot.configuration()
                .resolve(ModuleFinder.of(jars), ModuleFinder.of(), List.of("org.ambassadord.plugin.consul"));
        return boot.defineModulesWithOneLoader(configuration, ClassLoader.getSystemClassLoader());
    }

    private static ProviderContext context(ScheduledExecutorService scheduler, String token) {
        return new ProviderContext() {
            @Override
            public Backend open(String spec) {
                throw new UnsupportedOperationException(spec);
            }

            @Override
            public ScheduledExecutorService scheduler() {
                return scheduler;
            }

            @Override
            public Map<String, String> environment() {
                return Map.of("CONSUL_HTTP_TOKEN", token);
            }
        };
    }
}
