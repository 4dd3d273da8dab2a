package org.ambassadord.plugin.etcd.layerprobe;

import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.ambassadord.spi.Backend;
import org.ambassadord.spi.BackendProvider;
import org.ambassadord.spi.ClientConnection;
import org.ambassadord.spi.ProviderContext;

/**
 * Run in a child JVM by {@code PluginLayerTest}: loads a plugin folder into one module layer
 * on top of the boot layer the way core's {@code PluginLayers} does (boot searched first, every
 * other module of the folder a root, one class loader), opens a spec through the provider it
 * finds there and prints the first non-empty answer.
 *
 * <p>Arguments: the plugin folder, then the spec. Exit status 0 with {@code ANSWER [...]} on
 * standard output when it worked.
 */
public final class PluginFolderProbe {

    private PluginFolderProbe() {
    }

    public static void main(String[] args) throws Exception {
        ModuleLayer layer = defineLayer(Path.of(args[0]));
        BackendProvider provider = ServiceLoader.load(layer, BackendProvider.class).stream()
                .filter(candidate -> candidate.type().getModule().getLayer() == layer)
                .map(ServiceLoader.Provider::get)
                .filter(candidate -> candidate.scheme().equals("etcd"))
                .findFirst().orElseThrow(() -> new IllegalStateException("no etcd provider in the layer"));
        System.out.println("PROVIDER " + provider.getClass().getModule().getName()
                + " GRPC " + Class.forName("io.grpc.ManagedChannel", false, provider.getClass().getClassLoader()).getModule());
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try (Backend backend = provider.open(args[1], context(scheduler))) {
            ClientConnection connection = ClientConnection.of(
                    new InetSocketAddress("127.0.0.1", 40000), new InetSocketAddress("127.0.0.1", 10000));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                try {
                    List<InetSocketAddress> answer = backend.resolve(connection).toCompletableFuture().get(6, TimeUnit.SECONDS);
                    System.out.println("ANSWER " + answer);
                    System.exit(0);
                } catch (Exception e) {
                    System.out.println("NOT YET " + e);
                    Thread.sleep(100);
                }
            }
        }
        System.exit(1);
    }

    private static ModuleLayer defineLayer(Path folder) throws Exception {
        Path[] jars;
        try (Stream<Path> files = Files.list(folder)) {
            jars = files.filter(file -> file.toString().endsWith(".jar")).sorted().toArray(Path[]::new);
        }
        ModuleFinder finder = ModuleFinder.of(jars);
        ModuleLayer boot = ModuleLayer.boot();
        Set<String> roots = finder.findAll().stream()
                .map(reference -> reference.descriptor().name())
                .filter(name -> boot.findModule(name).isEmpty())
                .collect(Collectors.toSet());
        Configuration configuration = Configuration.resolveAndBind(
                ModuleFinder.of(), List.of(boot.configuration()), finder, roots);
        return boot.defineModulesWithOneLoader(configuration, ClassLoader.getSystemClassLoader());
    }

    private static ProviderContext context(ScheduledExecutorService scheduler) {
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
                return Map.of();
            }
        };
    }
}
