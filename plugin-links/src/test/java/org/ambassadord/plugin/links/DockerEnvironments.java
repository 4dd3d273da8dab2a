package org.ambassadord.plugin.links;

import java.util.HashMap;
import java.util.Map;

/** Environments as Docker writes them for legacy links, to inject into provider contexts. */
final class DockerEnvironments {

    private DockerEnvironments() {
    }

    /**
     * Every variable Docker sets in a container started with {@code --link <name>:<alias>}
     * for a linked container at {@code ip} exposing the given TCP ports (the first port also
     * gives {@code <ALIAS>_PORT}).
     */
    static Map<String, String> link(String alias, String ip, int... ports) {
        String prefix = alias.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        Map<String, String> environment = new HashMap<>();
        environment.put(prefix + "_NAME", "/ambassador/" + alias);
        environment.put(prefix + "_PORT", "tcp://" + ip + ":" + ports[0]);
        for (int port : ports) {
            String base = prefix + "_PORT_" + port + "_TCP";
            environment.put(base, "tcp://" + ip + ":" + port);
            environment.put(base + "_ADDR", ip);
            environment.put(base + "_PORT", Integer.toString(port));
            environment.put(base + "_PROTO", "tcp");
        }
        environment.put(prefix + "_ENV_GOSU_VERSION", "1.17");
        return environment;
    }

    /** The union of several environments. */
    @SafeVarargs
    static Map<String, String> merge(Map<String, String>... environments) {
        Map<String, String> merged = new HashMap<>(Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "HOSTNAME", "f00dcafe"));
        for (Map<String, String> environment : environments) {
            merged.putAll(environment);
        }
        return merged;
    }
}
