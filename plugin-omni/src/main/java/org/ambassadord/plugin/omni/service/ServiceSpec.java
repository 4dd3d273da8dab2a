package org.ambassadord.plugin.omni.service;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import org.ambassadord.plugin.omni.SpecQuery;
import org.ambassadord.spi.BackendSpecException;

/**
 * The parsed form of {@code docker://SERVICE[:PORT][?project=P&network=N&health=healthy|running&swarm&docker=URL]}.
 *
 * @param service        the Compose service, Swarm service, or container name or network alias
 * @param port           the backends' port; empty: each container's only exposed port
 * @param project        the Compose project; empty: the ambassador's own, else the only one
 * @param network        the network whose address is used; empty: one the ambassador shares
 * @param requireHealthy with a {@code HEALTHCHECK}, only {@code healthy} containers serve
 *                       ({@code health=running} drops that condition)
 * @param swarm          the running tasks of a Swarm service rather than Compose containers
 * @param docker         the engine, as {@code omni://?docker=} takes it; empty: {@code DOCKER_HOST}
 */
public record ServiceSpec(String service, OptionalInt port, Optional<String> project, Optional<String> network,
                          boolean requireHealthy, boolean swarm, Optional<String> docker) {

    private static final Set<String> PARAMETERS = Set.of("project", "network", "health", "swarm", "docker");
    private static final int MAX_NAME = 253;

    /** @throws BackendSpecException for an empty or malformed name, a bad port or an unknown parameter */
    public static ServiceSpec parse(String spec) throws BackendSpecException {
        String rest = spec.strip();
        if (!rest.startsWith("docker://")) {
            throw new BackendSpecException("spec [" + spec + "] is not a docker spec; expected docker://SERVICE[:PORT]");
        }
        rest = rest.substring("docker://".length());
        int query = rest.indexOf('?');
        String location = query < 0 ? rest : rest.substring(0, query);
        if (location.endsWith("/")) {
            location = location.substring(0, location.length() - 1);
        }
        int colon = location.indexOf(':');
        String service = colon < 0 ? location : location.substring(0, colon);
        if (service.isEmpty()) {
            throw new BackendSpecException("docker spec [" + spec + "] names no service; expected docker://SERVICE[:PORT]");
        }
        if (!validName(service)) {
            throw new BackendSpecException("docker spec [" + spec + "]: [" + service + "] is not a service or container name"
                    + " (letters, digits, '.', '_', '-'; at most " + MAX_NAME + ")");
        }
        OptionalInt port = colon < 0 ? OptionalInt.empty() : OptionalInt.of(port(location.substring(colon + 1), spec));
        Optional<String> project = Optional.empty();
        Optional<String> network = Optional.empty();
        Optional<String> docker = Optional.empty();
        boolean healthy = true;
        boolean swarm = false;
        Map<String, String> parameters = query < 0 ? Map.of() : SpecQuery.parse(rest.substring(query + 1), spec, PARAMETERS);
        for (Map.Entry<String, String> parameter : parameters.entrySet()) {
            String name = parameter.getKey();
            String value = parameter.getValue();
            switch (name) {
                case "project" -> project = Optional.of(named(value, name, spec));
                case "network" -> network = Optional.of(named(value, name, spec));
                case "docker" -> docker = Optional.of(value);
                case "swarm" -> swarm = value.isEmpty() || value.equals("1") || value.equalsIgnoreCase("true");
                case "health" -> {
                    if (!value.equals("healthy") && !value.equals("running")) {
                        throw new BackendSpecException("docker spec [" + spec + "]: health is healthy or running, not [" + value + "]");
                    }
                    healthy = value.equals("healthy");
                }
                default -> throw new IllegalStateException("a known parameter without a case: " + name);
            }
        }
        return new ServiceSpec(service, port, project, network, healthy, swarm, docker);
    }

    /** For messages: {@code web} in project {@code shop}, port 8080. */
    public String describe() {
        return (swarm ? "swarm service [" : "service [") + service + "]" + project.map(p -> " of project [" + p + "]").orElse("")
                + (port.isPresent() ? " port " + port.getAsInt() : "");
    }

    private static String named(String value, String parameter, String spec) throws BackendSpecException {
        if (!validName(value)) {
            throw new BackendSpecException("docker spec [" + spec + "]: " + parameter + " [" + value + "] is not a valid name");
        }
        return value;
    }

    /** Compose services, projects, networks and container names: [A-Za-z0-9._-], linear check. */
    static boolean validName(String name) {
        if (name.isEmpty() || name.length() > MAX_NAME) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static int port(String text, String spec) throws BackendSpecException {
        if (text.isEmpty() || text.length() > 5) {
            throw new BackendSpecException("docker spec [" + spec + "]: port [" + text + "] is not 1-65535");
        }
        int port = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new BackendSpecException("docker spec [" + spec + "]: port [" + text + "] is not 1-65535");
            }
            port = port * 10 + (c - '0');
        }
        if (port < 1 || port > 65535) {
            throw new BackendSpecException("docker spec [" + spec + "]: port [" + text + "] is not 1-65535");
        }
        return port;
    }
}
