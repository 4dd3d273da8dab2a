/**
 * Omni mode, and {@code docker://SERVICE} (the containers of a Compose or Swarm service).
 * Omni mode ({@code --omnimode}): one ambassador for every container of a Docker host. Each
 * connection, redirected to port 10000 by {@code --setup-iptables}, is served by the backend
 * its client container names in {@code BACKEND_<port>} (or label {@code connect.<port>}),
 * where the port is the one the client dialled, read with {@code SO_ORIGINAL_DST}.
 *
 * <p>Ships as a plugin folder with its dependencies (docker-java, httpclient5, jnr-ffi and
 * theirs), most of them automatic modules, loaded into one module layer.
 */
module org.ambassadord.plugin.omni {
    requires org.ambassadord.spi;
    requires org.tinylog.api;
    requires com.github.dockerjava.api;
    requires com.github.dockerjava.core;
    requires com.github.dockerjava.transport;
    requires com.github.dockerjava.transport.httpclient5;
    requires org.jnrproject.ffi;

    // Only for jnr-ffi, whose generated binding lives in an unnamed module (see LibC).
    exports org.ambassadord.plugin.omni.ffi;

    provides org.ambassadord.spi.BackendProvider with org.ambassadord.plugin.omni.OmniBackendProvider,
            org.ambassadord.plugin.omni.DockerServiceProvider;
    provides org.ambassadord.spi.OriginalDestinationLookup with org.ambassadord.plugin.omni.LinuxOriginalDestinationLookup;
}
