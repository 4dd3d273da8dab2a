package org.ambassadord.plugin.omni;

import java.net.InetAddress;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.github.dockerjava.api.model.ContainerNetwork;

/**
 * What omni mode needs to know about one running container.
 *
 * @param id           the full container id
 * @param name         its name, without Docker's leading slash
 * @param addresses    its IPv4 and global IPv6 addresses on every network it is attached to
 * @param backendSpecs the backend spec per port the container dials: from
 *                     {@code BACKEND_<port>}, else from label {@code connect.<port>}
 */
record ContainerRecord(String id, String name, Set<InetAddress> addresses, Map<Integer, String> backendSpecs) {

    static final String ENV_PREFIX = "BACKEND_";
    static final String LABEL_PREFIX = "connect.";

    ContainerRecord {
        addresses = Set.copyOf(addresses);
        backendSpecs = Map.copyOf(backendSpecs);
    }

    /**
     * Builds a record from what the Engine API reports.
     *
     * @param names    Docker's names ({@code /web}); the first one is used
     * @param networks {@code NetworkSettings.Networks}, may be {@code null} (a container that
     *                 shares another's network namespace has none of its own)
     * @param env      {@code Config.Env} as {@code K=V} strings, may be {@code null}
     * @param labels   {@code Config.Labels}, may be {@code null}
     */
    static ContainerRecord of(String id, String name, Map<String, ContainerNetwork> networks,
                              Collection<String> env, Map<String, String> labels) {
        Set<InetAddress> addresses = new LinkedHashSet<>();
        if (networks != null) {
            for (ContainerNetwork network : networks.values()) {
                ClientAddresses.parseLiteral(network.getIpAddress()).ifPresent(addresses::add);
                ClientAddresses.parseLiteral(network.getGlobalIPv6Address()).ifPresent(addresses::add);
            }
        }
        String plainName = name == null ? "" : name.startsWith("/") ? name.substring(1) : name;
        return new ContainerRecord(id, plainName, addresses, backendSpecs(env, labels));
    }

    /**
     * The variable wins over the label for the same port: the variable is the seed's own
     * convention and the one a user sets last ({@code docker run -e}).
     */
    static Map<Integer, String> backendSpecs(Collection<String> env, Map<String, String> labels) {
        Map<Integer, String> specs = new HashMap<>();
        if (labels != null) {
            labels.forEach((key, value) -> putSpec(specs, key, LABEL_PREFIX, value));
        }
        if (env != null) {
            for (String variable : env) {
                int equals = variable.indexOf('=');
                if (equals > 0) {
                    putSpec(specs, variable.substring(0, equals), ENV_PREFIX, variable.substring(equals + 1));
                }
            }
        }
        return specs;
    }

    private static void putSpec(Map<Integer, String> specs, String key, String prefix, String value) {
        if (!key.startsWith(prefix) || value == null || value.isBlank()) {
            return;
        }
        String port = key.substring(prefix.length());
        if (port.matches("\\d{1,5}") && Integer.parseInt(port) >= 1 && Integer.parseInt(port) <= 65535) {
            specs.put(Integer.parseInt(port), value.strip());
        }
    }

    /** The container as messages name it: {@code web (3f2a9c1b0d4e)}. */
    String describe() {
        return name + " (" + id.substring(0, Math.min(12, id.length())) + ")";
    }

    /** Docker lists names with a leading slash; the first is the container's own. */
    static String firstName(String[] names) {
        return names == null || names.length == 0 ? "" : List.of(names).get(0);
    }
}
