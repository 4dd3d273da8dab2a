/**
 * Static forwards: {@code host:port}, {@code h1:p1,h2:p2}, {@code [v6addr]:port}, also written
 * {@code static://host:port}. (The module is named after the spec, host:port, because
 * {@code static} is a Java keyword.)
 */
module org.ambassadord.plugin.hostport {
    requires org.ambassadord.spi;
    requires org.tinylog.api;

    provides org.ambassadord.spi.BackendProvider with org.ambassadord.plugin.hostport.StaticProvider;
}
