package org.ambassadord.spi.testkit;

import java.io.IOException;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.ambassadord.spi.Backend;
import org.ambassadord.spi.BackendProvider;
import org.ambassadord.spi.ClientConnection;

/**
 * Runs in the child JVM of a {@link PluginFolderHarness}: loads a plugin folder into one
 * module layer the way core's {@code PluginLayers} does, opens a spec through the provider
 * of the given scheme found in that layer, and prints what it saw for the test to check.
 *
 * <p>Arguments: {@code <folder> <scheme> <spec>}, then any of {@code --env NAME=VALUE} (the
 * provider's environment) and {@code --module-of CLASS} (print which module the provider's
 * class loader loads that class from). Prints, one per line:
 * <pre>
 * LAYER [the layer's module names, sorted]
 * PROVIDER &lt;the provider's module&gt;
 * CLASS &lt;class&gt; FROM &lt;its module&gt;       for each --module-of
 * NOT YET &lt;why&gt;                        for each resolve that did not answer
 * ANSWER [endpoints]
 * </pre>
 * and exits with status 0 after an answer, 1 when none came within 10 seconds.
 */
public final class PluginLayerProbe {

    private static final long DEADLINE_SECONDS = 10;
    private static final long ATTEMPT_SECONDS = 6;

    private PluginLayerProbe() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> environment = new HashMap<>();
        List<String> classes = new ArrayList<>();
        for (int i = 3; i < args.length; i += 2) {
            switch (args[i]) {
                case "--env" -> {
                    String[] variable = args[i + 1].split("=", 2);
                    environment.put(variable[0], variable[1]);
                }
                case "--module-of" -> classes.add(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option [" + args[i] + "]");
            }
        }
        ModuleLayer layer = defineLayer(Path.of(args[0]));
        System.out.println("LAYER " + layer.modules().stream().map(Module::getName).sorted().toList());
        String scheme = args[1];
        BackendProvider provider = servicesIn(layer, BackendProvider.class).stream()
                .filter(candidate -> candidate.scheme().equals(scheme))
                .findFirst().orElseThrow(() -> new IllegalStateException("no " + scheme + " provider in the layer"));
        System.out.println("PROVIDER " + provider.getClass().getModule().getName());
        for (String name : classes) {
            Class<?> type = Class.forName(name, false, provider.getClass().getClassLoader());
            System.out.println("CLASS " + name + " FROM " + type.getModule());
        }
        boolean answered;
        try (TestProviderContext context = new TestProviderContext(environment);
             Backend backend = provider.open(args[2], context)) {
            answered = printFirstAnswer(backend);
        }
        // Libraries may leave non-daemon threads behind (event loops); they must not keep the JVM.
        System.exit(answered ? 0 : 1);
    }

    /**
     * A plugin folder as one layer over the boot layer, as core's {@code PluginLayers} builds
     * it: the boot layer searched first, every other module of the folder a root, services
     * bound, one class loader.
     */
    public static ModuleLayer defineLayer(Path folder) throws IOException {
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

    /** The providers of a service that the layer's own modules declare (not its parents'). */
    public static <S> List<S> servicesIn(ModuleLayer layer, Class<S> service) {
        return ServiceLoader.load(layer, service).stream()
                .filter(provider -> provider.type().getModule().getLayer() == layer)
                .map(ServiceLoader.Provider::get)
                .toList();
    }

    /** Resolves, as the relay would, until an answer comes or the deadline passes. */
    private static boolean printFirstAnswer(Backend backend) throws InterruptedException {
        ClientConnection connection = ClientConnection.of(
                new InetSocketAddress("127.0.0.1", 40000), new InetSocketAddress("127.0.0.1", 10000));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
        while (System.nanoTime() < deadline) {
            try {
                List<InetSocketAddress> answer = backend.resolve(connection).toCompletableFuture()
                        .get(ATTEMPT_SECONDS, TimeUnit.SECONDS);
                System.out.println("ANSWER " + answer);
                return true;
            } catch (Exception e) {
                System.out.println("NOT YET " + e);
                Thread.sleep(100);
            }
        }
        return false;
    }
}
