/**
 * Links mode for ambassadord ({@code --links}, spec {@code links://}): the backends are the
 * Docker link variables {@code <ALIAS>_PORT_<port>_TCP=tcp://addr:port} of the process
 * environment, and the proxy listens on every link port.
 *
 * <p>No third-party dependencies. The implementation package is not exported: the provider
 * is reached through {@link java.util.ServiceLoader} only.
 */
module org.ambassadord.plugin.links {
    requires org.ambassadord.spi;
    requires org.tinylog.api;

    provides org.ambassadord.spi.BackendProvider with org.ambassadord.plugin.links.LinksProvider;
}
