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
 * @param tlsPorts     the ports whose backend the container wants reached over TLS
 * @param facts        state, health, service and networks, for {@code docker://}
 */
public record ContainerRecord(String id, String name, Set<InetAddress> addresses, Map<Integer, String> backendSpecs,
                              Set<Integer> tlsPorts, ContainerFacts facts) {

    static final String ENV_PREFIX = "BACKEND_";
    static final String LABEL_PREFIX = "connect.";
    static final String ENV_TLS_SUFFIX = "_TLS";
    static final String LABEL_TLS_SUFFIX = ".tls";

    public ContainerRecord {
        addresses = Set.copyOf(addresses);
        backendSpecs = Map.copyOf(backendSpecs);
        tlsPorts = Set.copyOf(tlsPorts);
    }


    /**
     * Builds a record from what the Engine API reports.
     *
     * @param names    Docker's names ({@code /web}); the first one is used
     * @param networks {@code NetworkSettings.Networks}, may be {@code null} (a container that
     *                 shares another's network namespace has none of its own)
     * @param env      {@code Config.Env} as {@code K=V} strings, may be {@code null}
     * @param labels   {@code Config.Labels}, may be {@code null}
     * @param facts    what the engine says of its state, health, service and networks
     */
    static ContainerRecord of(String id, String name, Map<String, ContainerNetwork> networks,
                              Collection<String> env, Map<String, String> labels, ContainerFacts facts) {
        Set<InetAddress> addresses = new LinkedHashSet<>();
        if (networks != null) {
            for (ContainerNetwork network : networks.values()) {
                ClientAddresses.parseLiteral(network.getIpAddress()).ifPresent(addresses::add);
                ClientAddresses.parseLiteral(network.getGlobalIPv6Address()).ifPresent(addresses::add);
            }
        }
        String plainName = name == null ? "" : name.startsWith("/") ? name.substring(1) : name;
        return new ContainerRecord(id, plainName, addresses, backendSpecs(env, labels), tlsPorts(env, labels), facts);
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

    /**
     * The ports whose backend the container wants reached over TLS: {@code BACKEND_6379_TLS=1}
     * or the label {@code connect.6379.tls=1} ({@code true} and {@code yes} too). The variable
     * wins over the label, as for the spec.
     */
    static Set<Integer> tlsPorts(Collection<String> env, Map<String, String> labels) {
        Map<Integer, Boolean> asked = new HashMap<>();
        if (labels != null) {
            labels.forEach((key, value) -> putTls(asked, key, LABEL_PREFIX, LABEL_TLS_SUFFIX, value));
        }
        if (env != null) {
            for (String variable : env) {
                int equals = variable.indexOf('=');
                if (equals > 0) {
                    putTls(asked, variable.substring(0, equals), ENV_PREFIX, ENV_TLS_SUFFIX, variable.substring(equals + 1));
                }
            }
        }
        Set<Integer> ports = new java.util.HashSet<>();
        asked.forEach((port, on) -> {
            if (on) {
                ports.add(port);
            }
        });
        return ports;
    }

    private static void putTls(Map<Integer, Boolean> asked, String key, String prefix, String suffix, String value) {
        if (value == null || !key.startsWith(prefix) || !key.endsWith(suffix) || key.length() <= prefix.length() + suffix.length()) {
            return;
        }
        int port = portOf(key.substring(0, key.length() - suffix.length()), prefix.length());
        if (port > 0) {
            String flag = value.strip().toLowerCase(java.util.Locale.ROOT);
            asked.put(port, flag.equals("1") || flag.equals("true") || flag.equals("yes"));
        }
    }

    private static void putSpec(Map<Integer, String> specs, String key, String prefix, String value) {
        if (!key.startsWith(prefix) || value == null || value.isBlank()) {
            return;
        }
        int port = portOf(key, prefix.length());
        if (port > 0) {
            specs.put(port, kept(value.strip()));
        }
    }

    /**
     * The spec as remembered: one longer than a spec may be is cut just past the limit, so that
     * a container's megabyte of text costs a few KiB here and is still refused as too long at
     * its first connection ({@code OmniBackend} counts and reports it).
     */
    private static String kept(String spec) {
        return spec.length() > ContainerText.MAX_SPEC_LENGTH ? spec.substring(0, ContainerText.MAX_SPEC_LENGTH + 1) : spec;
    }

    /** The port in {@code BACKEND_6379} after the prefix: 1 to 5 digits, 1-65535; else 0. */
    private static int portOf(String key, int start) {
        int length = key.length() - start;
        if (length < 1 || length > 5) {
            return 0;
        }
        int port = 0;
        for (int i = start; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < '0' || c > '9') {
                return 0;
            }
            port = port * 10 + (c - '0');
        }
        return port <= 65535 ? port : 0;
    }

    /** The container as messages name it: {@code web (3f2a9c1b0d4e)}. */
    public String describe() {
        return name + " (" + id.substring(0, Math.min(12, id.length())) + ")";
    }

    /** Docker lists names with a leading slash; the first is the container's own. */
    static String firstName(String[] names) {
        return names == null || names.length == 0 ? "" : List.of(names).get(0);
    }
}
