/**
 * The {@code consul} backend provider: backends from a Consul KV path, followed with
 * blocking queries through consul-api.
 *
 * <p>Deployed as {@code plugins/consul/} (this jar plus its runtime dependencies) in its own
 * module layer. consul-api and httpclient are automatic modules; an automatic module reads
 * every module but cannot make the resolver pick up the explicit modules it uses, so the
 * {@code requires} marked "for resolution" below are what put gson, commons-codec, the
 * commons-logging bridge and the slf4j-to-tinylog binding into the layer, whatever roots the
 * layer is resolved with (PluginLayerTest uses this module as the only root), and onto
 * surefire's module path.
 *
 * <p>Logging: httpclient → commons-logging API (jcl-over-slf4j) → slf4j → slf4j-tinylog →
 * tinylog; consul-api's own java.util.logging lines are at FINEST and stay silent.
 */
module org.ambassadord.plugin.consul {
    requires org.ambassadord.spi;
    requires org.tinylog.api;
    requires consul.api;
    requires org.apache.httpcomponents.httpclient;
    requires org.apache.httpcomponents.httpcore;

    // For resolution: used by consul-api (gson) and httpclient (codec, commons-logging).
    requires com.google.gson;
    requires org.apache.commons.codec;
    requires org.apache.commons.logging;
    // For resolution: the slf4j binding that sends httpclient's logging to tinylog.
    requires org.tinylog.api.slf4j;
    // consul-api logs through java.util.logging.
    requires java.logging;
    // consul-api's ConsulRawClient builds a default HTTPS-capable client in its static
    // initializer, whose host name verifier links javax.naming, even though this plugin
    // uses its own plain-HTTP client. Declared so that a boot layer without it fails when
    // the layer is created, not at the first open().
    requires java.naming;

    provides org.ambassadord.spi.BackendProvider with org.ambassadord.plugin.consul.ConsulBackendProvider,
            org.ambassadord.plugin.consul.ConsulServiceProvider;
}
