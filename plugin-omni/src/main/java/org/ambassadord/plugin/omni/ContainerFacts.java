package org.ambassadord.plugin.omni;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What {@code docker://} needs to know about a container beyond omni's: its state, its
 * health, the Compose service it belongs to, the ports it exposes and its networks.
 * Every text is the container's own, capped ({@link NetworkAttachment#MAX_NAME_LENGTH}).
 *
 * @param state        {@code running}, {@code paused} or {@code restarting}
 * @param health       its {@code HEALTHCHECK}'s status ({@code starting}, {@code healthy},
 *                     {@code unhealthy}), or empty when it has none
 * @param composeService label {@code com.docker.compose.service}, or empty
 * @param composeProject label {@code com.docker.compose.project}, or empty
 * @param exposedPorts the TCP ports its image or run exposes
 * @param networks     the networks it is attached to
 */
public record ContainerFacts(String state, String health, String composeService, String composeProject,
                             Set<Integer> exposedPorts, List<NetworkAttachment> networks) {

    static final String COMPOSE_SERVICE = "com.docker.compose.service";
    static final String COMPOSE_PROJECT = "com.docker.compose.project";
    /** More exposed ports than anyone uses; a container's own list stops there. */
    static final int MAX_PORTS = 64;

    static final ContainerFacts NONE = new ContainerFacts("running", "", "", "", Set.of(), List.of());

    public ContainerFacts {
        exposedPorts = Set.copyOf(exposedPorts);
        networks = List.copyOf(networks);
    }

    static ContainerFacts of(String state, String health, Map<String, String> labels, Set<Integer> exposedPorts,
                             List<NetworkAttachment> networks) {
        Map<String, String> safe = labels == null ? Map.of() : labels;
        Set<Integer> ports = new TreeSet<>();
        for (Integer port : exposedPorts) {
            if (ports.size() < MAX_PORTS) {
                ports.add(port);
            }
        }
        return new ContainerFacts(state == null ? "running" : state, health == null ? "" : health,
                NetworkAttachment.capped(safe.get(COMPOSE_SERVICE)), NetworkAttachment.capped(safe.get(COMPOSE_PROJECT)),
                ports, networks);
    }

    /**
     * The health in a listing's status text: {@code Up 2 minutes (healthy)}, {@code (unhealthy)},
     * {@code (health: starting)}; empty without a health check. Linear, no pattern matching.
     */
    static String healthInStatus(String status) {
        if (status == null) {
            return "";
        }
        if (status.contains("(healthy)")) {
            return "healthy";
        }
        if (status.contains("(unhealthy)")) {
            return "unhealthy";
        }
        return status.contains("(health: starting)") ? "starting" : "";
    }

    /** An exposed-port key of the Engine API, {@code 80/tcp}: the TCP port, else 0. */
    static int tcpPort(String key) {
        if (key == null || !key.endsWith("/tcp")) {
            return 0;
        }
        String digits = key.substring(0, key.length() - 4);
        if (digits.isEmpty() || digits.length() > 5) {
            return 0;
        }
        int port = 0;
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                return 0;
            }
            port = port * 10 + (c - '0');
        }
        return port <= 65535 ? port : 0;
    }
}
