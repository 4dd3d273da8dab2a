/**
 * etcd backends for ambassadord: {@code etcd://host:2379[,host:port]/path/to/backend/nodes}.
 *
 * <p>The backends are read from etcd v3 with jetcd and watched for changes. The
 * implementation package is not exported: the provider is reached through
 * {@link java.util.ServiceLoader} only. jetcd and its gRPC, Netty and Vert.x dependencies
 * travel with the plugin in its own module layer (several of them are automatic modules).
 */
module org.ambassadord.plugin.etcd {
    requires org.ambassadord.spi;
    requires org.tinylog.api;
    requires jetcd.core;
    requires jetcd.common;
    // TLS to etcd: jetcd takes netty's SslContextBuilder (see EtcdAccess).
    requires io.netty.handler;
    // gRPC logs through java.util.logging; its INFO chatter is turned down (see EtcdClients).
    requires java.logging;

    provides org.ambassadord.spi.BackendProvider with org.ambassadord.plugin.etcd.EtcdBackendProvider;
}
