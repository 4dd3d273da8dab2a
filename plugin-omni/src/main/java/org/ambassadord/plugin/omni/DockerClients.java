package org.ambassadord.plugin.omni;

import java.time.Duration;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;

/** Builds the docker-java client omni mode uses. */
final class DockerClients {

    private DockerClients() {
    }

    /**
     * A client for the endpoint of a spec. Connects lazily: building it does no network I/O.
     *
     * <p>No API version is set, so docker-java uses unversioned paths and the engine answers
     * in its own current version: pinning one would break on engines that dropped it
     * (Engine 29 refuses anything below 1.44) and miss fields on older ones. No response
     * timeout either: the events stream is a response that never ends.
     */
    static DockerClient create(OmniSpec spec) {
        DefaultDockerClientConfig.Builder builder = new DefaultDockerClientConfig.Builder()
                .withDockerHost(spec.dockerHost().toString())
                .withDockerTlsVerify(Boolean.toString(spec.tlsVerify()));
        if (spec.certPath() != null) {
            builder.withDockerCertPath(spec.certPath());
        }
        DefaultDockerClientConfig config = builder.build();
        ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .maxConnections(16)
                .connectionTimeout(Duration.ofSeconds(5))
                .build();
        return DockerClientImpl.getInstance(config, http);
    }
}
