package org.ambassadord.plugin.links;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.InternetProtocol;
import com.github.dockerjava.api.model.Link;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import org.ambassadord.spi.BackendSpecException;
import org.ambassadord.spi.ProviderContext;

/**
 * Links read from the Docker API, for where Docker sets no link variables (every
 * user-defined network, and Engine 29 unless the daemon keeps them): this container's own
 * {@code HostConfig.Links}, and for each linked container its exposed TCP ports and its
 * address on a network this container shares with it.
 *
 * <p>Only read calls ({@code inspect}, {@code events}), no API version pinned (the engine
 * answers in its own). Used on the start-up thread and on {@link LinkEvents}' thread.
 */
final class ApiLinks implements AutoCloseable {

    private static final Path DEFAULT_SOCKET = Path.of("/var/run/docker.sock");
    /** Docker bind-mounts /etc/hostname from /var/lib/docker/containers/<id>/: the id, whatever the hostname. */
    private static final Pattern OWN_ID = Pattern.compile("/containers/([0-9a-f]{64})/");

    private final DockerClient docker;
    private final String ownId;

    private ApiLinks(DockerClient docker, String ownId) {
        this.docker = docker;
        this.ownId = ownId;
    }

    /**
     * A client when the API is there to be asked: {@code DOCKER_HOST}, or the socket mounted
     * at {@code /var/run/docker.sock}. Empty without either, or outside a container.
     */
    static Optional<ApiLinks> connect(Map<String, String> environment) {
        String host = environment.get("DOCKER_HOST");
        if (host == null || host.isBlank()) {
            if (!Files.exists(DEFAULT_SOCKET)) {
                return Optional.empty();
            }
            host = "unix://" + DEFAULT_SOCKET;
        }
        Optional<String> ownId = ownContainerId(environment);
        if (ownId.isEmpty()) {
            return Optional.empty();
        }
        DefaultDockerClientConfig config = new DefaultDockerClientConfig.Builder().withDockerHost(host).build();
        ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .maxConnections(4)
                .connectionTimeout(Duration.ofSeconds(5))
                .build();
        return Optional.of(new ApiLinks(DockerClientImpl.getInstance(config, http), ownId.get()));
    }

    /** This container's id: from /proc/self/mountinfo, else the default hostname (its short id). */
    static Optional<String> ownContainerId(Map<String, String> environment) {
        try {
            Matcher id = OWN_ID.matcher(Files.readString(Path.of("/proc/self/mountinfo")));
            if (id.find()) {
                return Optional.of(id.group(1));
            }
        } catch (IOException | RuntimeException unreadable) {
            // not Linux, or no procfs: try the hostname
        }
        String hostname = environment.getOrDefault("HOSTNAME", "");
        return hostname.matches("[0-9a-f]{12,64}") ? Optional.of(hostname) : Optional.empty();
    }

    DockerClient docker() {
        return docker;
    }

    /**
     * One link per exposed TCP port of each linked container, at its address on a shared
     * network; by the linked container's id, which its events carry.
     *
     * @throws BackendSpecException when the API cannot be read, this container has no links,
     *                              or a linked container shares no network with it
     */
    Map<String, List<DockerLink>> links() throws BackendSpecException {
        InspectContainerResponse own;
        try {
            own = docker.inspectContainerCmd(ownId).exec();
        } catch (RuntimeException e) {
            throw new BackendSpecException("--links: no link variables, and the Docker API could not tell this"
                    + " container's links: " + oneLine(e));
        }
        return linksOf(own, this::inspect);
    }

    /** Inspects a linked container by name; {@link BackendSpecException} when it cannot. */
    interface Inspector {
        InspectContainerResponse inspect(String name) throws BackendSpecException;
    }

    /**
     * The links of this container from the engine's answers (its own inspection and each linked
     * container's): the engine's text, so names are escaped in messages and addresses must be
     * literals.
     */
    static Map<String, List<DockerLink>> linksOf(InspectContainerResponse own, Inspector inspector)
            throws BackendSpecException {
        List<Link> declared = declaredLinks(own);
        if (declared.isEmpty()) {
            throw LinkVariables.noLinks();
        }
        Map<String, List<DockerLink>> links = new LinkedHashMap<>();
        for (Link link : declared) {
            if (link.getName() == null || link.getAlias() == null) {
                continue;
            }
            InspectContainerResponse linked = inspector.inspect(link.getName());
            InetAddress address = addressShared(own, linked).orElseThrow(() -> new BackendSpecException("--links: linked"
                    + " container [" + ProviderContext.printable(link.getName()) + "] shares no network with this container"));
            ExposedPort[] exposed = linked.getConfig() == null || linked.getConfig().getExposedPorts() == null
                    ? new ExposedPort[0] : linked.getConfig().getExposedPorts();
            for (ExposedPort port : exposed) {
                if (port != null && port.getProtocol() == InternetProtocol.TCP && port.getPort() >= 1 && port.getPort() <= 65535) {
                    links.computeIfAbsent(linked.getId(), id -> new ArrayList<>()).add(new DockerLink(link.getAlias(),
                            port.getPort(), address.getHostAddress(), port.getPort(),
                            "Docker API link " + ProviderContext.printable(withoutLeadingSlash(link.getName())) + ":"
                                    + ProviderContext.printable(afterLastSlash(link.getAlias()))));
                }
            }
        }
        if (links.isEmpty()) {
            throw new BackendSpecException("--links: the linked containers expose no TCP port (docker run --expose)");
        }
        return links;
    }

    private static String withoutLeadingSlash(String name) {
        return name.startsWith("/") ? name.substring(1) : name;
    }

    private static String afterLastSlash(String alias) {
        return alias.substring(alias.lastIndexOf('/') + 1);
    }

    /**
     * {@code --link}s as the engine keeps them: {@code HostConfig.Links} on the default bridge,
     * {@code NetworkSettings.Networks[*].Links} on user-defined networks; each once.
     */
    private static List<Link> declaredLinks(InspectContainerResponse own) {
        Set<Link> links = new LinkedHashSet<>();
        if (own.getHostConfig() != null && own.getHostConfig().getLinks() != null) {
            links.addAll(List.of(own.getHostConfig().getLinks()));
        }
        if (own.getNetworkSettings() != null && own.getNetworkSettings().getNetworks() != null) {
            for (ContainerNetwork network : own.getNetworkSettings().getNetworks().values()) {
                if (network.getLinks() != null) {
                    links.addAll(List.of(network.getLinks()));
                }
            }
        }
        return List.copyOf(links);
    }

    /** The container's address on a network it shares with this one, now; empty when it is not running. */
    Optional<InetAddress> currentAddress(String id) {
        try {
            return addressShared(docker.inspectContainerCmd(ownId).exec(), docker.inspectContainerCmd(id).exec());
        } catch (RuntimeException gone) {
            return Optional.empty();
        }
    }

    private InspectContainerResponse inspect(String name) throws BackendSpecException {
        try {
            return docker.inspectContainerCmd(withoutLeadingSlash(name)).exec();
        } catch (RuntimeException e) {
            throw new BackendSpecException("--links: cannot inspect linked container [" + ProviderContext.printable(name) + "]: "
                    + oneLine(e));
        }
    }

    /** The first of this container's networks that the other is on too (Networks only: API 1.52 has no top-level address). */
    private static Optional<InetAddress> addressShared(InspectContainerResponse own, InspectContainerResponse other) {
        if (own.getNetworkSettings() == null || other.getNetworkSettings() == null
                || own.getNetworkSettings().getNetworks() == null || other.getNetworkSettings().getNetworks() == null) {
            return Optional.empty();
        }
        Map<String, ContainerNetwork> theirs = other.getNetworkSettings().getNetworks();
        for (String network : own.getNetworkSettings().getNetworks().keySet()) {
            ContainerNetwork shared = theirs.get(network);
            if (shared != null && shared.getIpAddress() != null && !shared.getIpAddress().isEmpty()) {
                try {
                    Optional<InetAddress> literal = ProviderContext.ipLiteral(shared.getIpAddress());
                    if (literal.isPresent()) {
                        return literal;
                    }
                } catch (IllegalArgumentException notAnAddress) {
                    // skip it: the engine's text, never looked up
                }
            }
        }
        return Optional.empty();
    }

    /** The engine's error as one escaped, capped line (docker-java puts its answer body in the message). */
    private static String oneLine(RuntimeException e) {
        return ProviderContext.printable(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip());
    }

    @Override
    public void close() {
        try {
            docker.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
