package org.ambassadord.plugin.omni;

import java.net.URI;
import java.util.Map;
import java.util.Set;

import org.ambassadord.spi.BackendSpecException;

/**
 * The parsed form of {@code omni://} or {@code omni://?docker=unix:///path/docker.sock}.
 *
 * @param dockerHost   the Docker Engine endpoint: the spec's {@code docker} parameter, else
 *                     {@code DOCKER_HOST}, else the local socket
 * @param tlsVerify    {@code DOCKER_TLS_VERIFY} for a {@code tcp://} endpoint
 * @param certPath     {@code DOCKER_CERT_PATH}, or {@code null}
 */
record OmniSpec(URI dockerHost, boolean tlsVerify, String certPath) {

    static final String DEFAULT_DOCKER_HOST = "unix:///var/run/docker.sock";
    private static final Set<String> PARAMETERS = Set.of("docker");
    private static final Set<String> DOCKER_SCHEMES = Set.of("unix", "tcp");

    /**
     * @param spec        {@code omni://...} as the core wrote it for {@code --omnimode}
     * @param environment where {@code DOCKER_HOST}, {@code DOCKER_TLS_VERIFY} and
     *                    {@code DOCKER_CERT_PATH} come from
     */
    static OmniSpec parse(String spec, Map<String, String> environment) throws BackendSpecException {
        String rest = spec.strip();
        if (!rest.startsWith("omni:")) {
            throw new BackendSpecException("spec [" + spec + "] is not an omni spec; expected omni://");
        }
        rest = rest.substring("omni:".length());
        if (rest.startsWith("//")) {
            rest = rest.substring(2);
        }
        int query = rest.indexOf('?');
        String location = query < 0 ? rest : rest.substring(0, query);
        if (!location.isEmpty() && !location.equals("/")) {
            throw new BackendSpecException("omni spec [" + spec + "] names [" + location + "], but omni mode takes no"
                    + " host or path; use omni:// or omni://?docker=unix:///var/run/docker.sock");
        }
        String docker = query < 0 ? null : SpecQuery.parse(rest.substring(query + 1), spec, PARAMETERS).get("docker");
        String source = docker != null ? "parameter docker" : "DOCKER_HOST";
        String host = docker != null ? docker : environment.getOrDefault("DOCKER_HOST", "");
        URI dockerHost = dockerHost(host.isBlank() ? DEFAULT_DOCKER_HOST : host.strip(), source);
        String tls = environment.getOrDefault("DOCKER_TLS_VERIFY", "");
        String certPath = environment.get("DOCKER_CERT_PATH");
        return new OmniSpec(dockerHost, !tls.isBlank() && !tls.equals("0") && !tls.equalsIgnoreCase("false"),
                certPath == null || certPath.isBlank() ? null : certPath);
    }

    private static URI dockerHost(String host, String source) throws BackendSpecException {
        URI uri;
        try {
            uri = URI.create(host);
        } catch (IllegalArgumentException e) {
            throw new BackendSpecException("Docker endpoint [" + host + "] from " + source + " is not a URI");
        }
        if (uri.getScheme() == null || !DOCKER_SCHEMES.contains(uri.getScheme())) {
            throw new BackendSpecException("Docker endpoint [" + host + "] from " + source
                    + " must start with unix:// or tcp://");
        }
        if (uri.getScheme().equals("unix") && (uri.getPath() == null || uri.getPath().isEmpty())) {
            throw new BackendSpecException("Docker endpoint [" + host + "] from " + source + " names no socket path");
        }
        if (uri.getScheme().equals("tcp") && (uri.getHost() == null || uri.getPort() < 0)) {
            throw new BackendSpecException("Docker endpoint [" + host + "] from " + source + " needs host and port");
        }
        return uri;
    }
}
