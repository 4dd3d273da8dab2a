package org.ambassadord.plugin.links;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.ambassadord.spi.BackendSpecException;

/**
 * Finds the Docker link variables in an environment and maps link ports to links.
 *
 * <p>For {@code --link redis:redis} Docker sets {@code REDIS_PORT_6379_TCP=tcp://addr:6379}
 * per exposed TCP port, plus helpers ({@code REDIS_PORT}, {@code REDIS_PORT_6379_TCP_ADDR},
 * {@code _PORT}, {@code _PROTO}, {@code REDIS_NAME}, {@code REDIS_ENV_*}). Only the
 * {@code <ALIAS>_PORT_<port>_TCP} variables are read; UDP ports are ignored. The linked
 * container's own environment arrives as {@code <ALIAS>_ENV_<VAR>}, so a variable like
 * {@code REDIS_ENV_DB_PORT_5432_TCP} is the linked container's business, not a link of ours,
 * when {@code REDIS_NAME} says that {@code REDIS} is a link.
 *
 * <p>Pure string work on the start-up thread.
 */
final class LinkVariables {

    private static final Pattern NAME = Pattern.compile("([A-Za-z0-9_]+)_PORT_([0-9]+)_TCP");
    private static final Pattern VALUE = Pattern.compile("tcp://(?:\\[([^\\]]+)\\]|([^:/\\[\\]]+)):([0-9]+)/?",
            Pattern.CASE_INSENSITIVE);
    private static final String EXPECTED = "<ALIAS>_PORT_<port>_TCP=tcp://addr:port";

    private LinkVariables() {
    }

    /**
     * The links in {@code environment}, sorted by port and alias.
     *
     * @throws BackendSpecException when a link variable's value or port is malformed
     */
    static List<DockerLink> parse(Map<String, String> environment) throws BackendSpecException {
        List<DockerLink> links = new ArrayList<>();
        for (Map.Entry<String, String> variable : environment.entrySet()) {
            Matcher name = NAME.matcher(variable.getKey());
            if (name.matches() && !isLinkedContainersOwn(name.group(1), environment)) {
                links.add(link(name.group(1), port(name.group(2), variable.getKey()), variable.getKey(), variable.getValue()));
            }
        }
        links.sort(Comparator.comparingInt(DockerLink::port).thenComparing(DockerLink::alias));
        return links;
    }

    /**
     * The links by the port the proxy listens on.
     *
     * @throws BackendSpecException naming both aliases when two links share a port
     */
    static Map<Integer, DockerLink> byPort(List<DockerLink> links) throws BackendSpecException {
        Map<Integer, DockerLink> byPort = new LinkedHashMap<>();
        for (DockerLink link : links) {
            DockerLink other = byPort.putIfAbsent(link.port(), link);
            if (other != null) {
                throw new BackendSpecException("links [" + other.alias() + "] and [" + link.alias() + "] both use port ["
                        + link.port() + "] (" + other.variable() + ", " + link.variable()
                        + "); ambassadord listens once per port, so link only one of them or run one ambassador each");
            }
        }
        return byPort;
    }

    /** The error for an environment without link variables: one line that says why that may be. */
    static BackendSpecException noLinks() {
        return new BackendSpecException("--links found no Docker link variables " + EXPECTED
                + " in the environment; Docker sets them only for --link on the default bridge network, and Docker Engine 29+"
                + " no longer sets them by default: mount the Docker socket (-v /var/run/docker.sock:/var/run/docker.sock)"
                + " so that the links are read from the Docker API, or name the backend instead, for example redis:6379");
    }

    private static DockerLink link(String alias, int port, String variable, String value) throws BackendSpecException {
        Matcher matcher = VALUE.matcher(value.strip());
        if (!matcher.matches()) {
            throw new BackendSpecException("link variable [" + variable + "] has value [" + value
                    + "]; expected tcp://addr:port as Docker sets it");
        }
        String host = matcher.group(1) != null ? matcher.group(1) : matcher.group(2);
        return new DockerLink(alias, port, host, port(matcher.group(3), variable), variable);
    }

    private static int port(String digits, String variable) throws BackendSpecException {
        int port = digits.length() > 5 ? 0 : Integer.parseInt(digits);
        if (port < 1 || port > 65535) {
            throw new BackendSpecException("link variable [" + variable + "] has port [" + digits + "], out of range 1-65535");
        }
        return port;
    }

    /** Whether {@code alias} is {@code <LINK>_ENV_<...>} for a link {@code <LINK>} (one with {@code <LINK>_NAME}). */
    private static boolean isLinkedContainersOwn(String alias, Map<String, String> environment) {
        for (int at = alias.indexOf("_ENV_"); at > 0; at = alias.indexOf("_ENV_", at + 1)) {
            if (environment.containsKey(alias.substring(0, at) + "_NAME")) {
                return true;
            }
        }
        return false;
    }
}
