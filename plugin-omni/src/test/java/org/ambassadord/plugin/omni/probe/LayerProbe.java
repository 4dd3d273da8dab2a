package org.ambassadord.plugin.omni.probe;

import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Collectors;

import org.ambassadord.spi.Backend;
import org.ambassadord.spi.BackendProvider;
import org.ambassadord.spi.BackendSpecException;
import org.ambassadord.spi.OriginalDestinationLookup;
import org.ambassadord.spi.ProviderContext;

/**
 * Runs in a child JVM whose boot layer holds only the SPI and tinylog, like the
 * distribution's image: loads the plugin and its dependencies into one module layer the way
 * core's {@code PluginLayers} does, then uses both services and prints what it saw.
 *
 * <p>Arguments: the plugin's module path entries. Expects, in its network namespace, a nat
 * rule that redirects loopback port 6379 to 10000.
 */
public final class LayerProbe {

    private LayerProbe() {
    }

    public static void main(String[] args) throws Exception {
        ModuleFinder finder = ModuleFinder.of(Arrays.stream(args).map(Path::of).toArray(Path[]::new));
        ModuleLayer boot = ModuleLayer.boot();
        Set<String> roots = finder.findAll().stream().map(reference -> reference.descriptor().name())
                .filter(name -> boot.findModule(name).isEmpty()).collect(Collectors.toSet());
        Configuration configuration = Configuration.resolveAndBind(ModuleFinder.of(), java.util.List.of(boot.configuration()),
                finder, roots);
        ModuleLayer layer = boot.defineModulesWithOneLoader(configuration, ClassLoader.getSystemClassLoader());

        BackendProvider omni = ServiceLoader.load(layer, BackendProvider.class).stream()
                .filter(provider -> provider.type().getModule().getLayer() == layer)
                .map(ServiceLoader.Provider::get).filter(provider -> provider.scheme().equals("omni"))
                .findFirst().orElseThrow();
        try (Backend backend = omni.open("omni://?docker=unix:///nonexistent/docker.sock", new ProbeContext())) {
            System.out.println("omni listens on " + backend.listenPorts());
        }

        OriginalDestinationLookup lookup = ServiceLoader.load(layer, OriginalDestinationLookup.class).stream()
                .filter(provider -> provider.type().getModule().getLayer() == layer)
                .map(ServiceLoader.Provider::get).findFirst().orElseThrow();
        try (ServerSocketChannel server = ServerSocketChannel.open()
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 10000));
             SocketChannel client = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), 6379));
             SocketChannel accepted = server.accept()) {
            int fd = (Integer) Class.forName("sun.nio.ch.SelChImpl").getMethod("getFDVal").invoke(accepted);
            System.out.println("original destination " + lookup.lookup(fd, (InetSocketAddress) accepted.getRemoteAddress())
                    .map(address -> address.getAddress().getHostAddress() + ":" + address.getPort()).orElse("unknown"));
        }
    }

    /** The least a provider needs to open; omni opens no nested spec here. */
    private static final class ProbeContext implements ProviderContext {
        @Override
        public Backend open(String spec) throws BackendSpecException {
            throw new BackendSpecException("no nested specs in the probe");
        }

        @Override
        public ScheduledExecutorService scheduler() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Map<String, String> environment() {
            return Map.of();
        }
    }
}
