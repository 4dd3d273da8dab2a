package org.ambassadord.plugin.omni.probe;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

import org.ambassadord.spi.Backend;
import org.ambassadord.spi.BackendProvider;
import org.ambassadord.spi.OriginalDestinationLookup;
import org.ambassadord.spi.testkit.PluginLayerProbe;
import org.ambassadord.spi.testkit.TestProviderContext;

/**
 * Runs in the child JVM of {@code PluginLayerTest}, whose boot layer holds only the SPI,
 * tinylog and a few JDK modules, like the distribution's image: loads the plugin folder into
 * one module layer the way core does ({@link PluginLayerProbe#defineLayer}), then uses both
 * services and prints what it saw.
 *
 * <p>Argument: the plugin folder. Expects, in its network namespace, a nat rule that
 * redirects loopback port 6379 to 10000.
 */
public final class LayerProbe {

    private LayerProbe() {
    }

    public static void main(String[] args) throws Exception {
        ModuleLayer layer = PluginLayerProbe.defineLayer(Path.of(args[0]));

        BackendProvider omni = PluginLayerProbe.servicesIn(layer, BackendProvider.class).stream()
                .filter(provider -> provider.scheme().equals("omni"))
                .findFirst().orElseThrow();
        try (TestProviderContext context = new TestProviderContext();
             Backend backend = omni.open("omni://?docker=unix:///nonexistent/docker.sock", context)) {
            System.out.println("omni listens on " + backend.listenPorts());
        }

        OriginalDestinationLookup lookup = PluginLayerProbe.servicesIn(layer, OriginalDestinationLookup.class).stream()
                .findFirst().orElseThrow();
        try (ServerSocketChannel server = ServerSocketChannel.open()
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 10000));
             SocketChannel client = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), 6379));
             SocketChannel accepted = server.accept()) {
            int fd = (Integer) Class.forName("sun.nio.ch.SelChImpl").getMethod("getFDVal").invoke(accepted);
            System.out.println("original destination " + lookup.lookup(fd, (InetSocketAddress) accepted.getRemoteAddress())
                    .map(address -> address.getAddress().getHostAddress() + ":" + address.getPort()).orElse("unknown"));
        }
    }
}
