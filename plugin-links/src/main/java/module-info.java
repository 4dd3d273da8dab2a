/**
 * Links mode for ambassadord ({@code --links}, spec {@code links://}): the backends are the
 * Docker link variables {@code <ALIAS>_PORT_<port>_TCP=tcp://addr:port} of the process
 * environment, and the proxy listens on every link port. Where Docker sets no such variables
 * (user-defined networks, Engine 29) and its API is reachable, the links come from this
 * container's {@code HostConfig.Links} and the linked containers' exposed ports instead.
 *
 * <p>The implementation package is not exported: the provider is reached through
 * {@link java.util.ServiceLoader} only.
 */
module org.ambassadord.plugin.links {
    requires org.ambassadord.spi;
    requires org.tinylog.api;
    requires com.github.dockerjava.api;
    requires com.github.dockerjava.core;
    requires com.github.dockerjava.transport;
    requires com.github.dockerjava.transport.httpclient5;

    provides org.ambassadord.spi.BackendProvider with org.ambassadord.plugin.links.LinksProvider;
}
