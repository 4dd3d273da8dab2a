package org.ambassadord.plugin.omni;

import java.time.Duration;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import org.ambassadord.spi.BackendSpecException;

/** Builds the docker-java client omni mode uses. */
final class DockerClients {

    private DockerClients() {
    }

    /**
     * A client for the endpoint of a spec. Connects lazily: building it does no network I/O.
     * With {@code DOCKER_TLS_VERIFY}, the certificates are read here (see {@link DockerTls}).
     *
     * <p>No API version is set, so docker-java uses unversioned paths and the engine answers
     * in its own current version: pinning one would break on engines that dropped it
     * (Engine 29 refuses anything below 1.44) and miss fields on older ones. No response
     * timeout either: the events stream is a response that never ends.
     */
    static DockerClient create(OmniSpec spec) throws BackendSpecException {
        return create(spec, () -> { });
    }

    /** As {@link #create(OmniSpec)}, with the engine's answers capped ({@link DockerAnswerCap}), each refusal counted. */
    static DockerClient create(OmniSpec spec, Runnable onRefusal) throws BackendSpecException {
        DefaultDockerClientConfig.Builder builder = new DefaultDockerClientConfig.Builder()
                .withDockerHost(spec.dockerHost().toString())
                .withDockerTlsVerify(Boolean.toString(spec.tlsVerify()));
        if (spec.tlsVerify()) {
            // Our reader, not docker-java's LocalDirectorySSLConfig (which needs BouncyCastle).
            builder.withCustomSslConfig(DockerTls.load(spec.certPath()));
        }
        DefaultDockerClientConfig config = builder.build();
        ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .maxConnections(16)
                .connectionTimeout(Duration.ofSeconds(5))
                .build();
        return DockerClientImpl.getInstance(config, new DockerAnswerCap(http, onRefusal));
    }
}
