package org.ambassadord.plugin.etcd;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

import org.ambassadord.spi.BackendSpecException;
import org.ambassadord.spi.ProviderContext;

/**
 * Parses {@code etcd://host:port[,host:port]/path/to/backend/nodes} into an {@link EtcdSpec}.
 *
 * <p>Hand-written rather than {@link java.net.URI}: a list of hosts in the authority is not a
 * URI authority, and the path is used as the etcd key verbatim (no percent-decoding), so that
 * the key the user sees in {@code etcdctl get} is the key in the spec. Pure string work,
 * called on the start-up thread.
 */
final class EtcdSpecParser {

    static final String SCHEME = "etcd";
    /** etcd's client port since v3 (IANA); the seed's 4001 was etcd v2's legacy port. */
    static final int DEFAULT_PORT = 2379;
    private static final String PREFIX = SCHEME + "://";
    private static final String SYNTAX = "etcd://host:2379[,host:port]/path/to/backend/nodes";

    private EtcdSpecParser() {
    }

    /**
     * @throws BackendSpecException with a one-line message quoting the offending part
     */
    static EtcdSpec parse(String spec) throws BackendSpecException {
        if (!spec.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            throw new BackendSpecException("spec [" + ProviderContext.printable(spec) + "] is not an etcd spec; expected " + SYNTAX);
        }
        String rest = spec.substring(PREFIX.length());
        int question = rest.indexOf('?');
        if (question >= 0) {
            checkNoOptions(rest.substring(question + 1), spec);
            rest = rest.substring(0, question);
        }
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash);
        return new EtcdSpec(spec, parseEndpoints(authority, spec), parseKey(path, spec));
    }

    private static List<HostPort> parseEndpoints(String authority, String spec) throws BackendSpecException {
        if (authority.isEmpty()) {
            throw new BackendSpecException("no etcd host in [" + ProviderContext.printable(spec) + "]; expected " + SYNTAX);
        }
        List<HostPort> endpoints = new ArrayList<>();
        for (String endpoint : authority.split(",", -1)) {
            try {
                endpoints.add(EndpointParser.parse(endpoint, OptionalInt.of(DEFAULT_PORT)));
            } catch (IllegalArgumentException e) {
                throw new BackendSpecException("etcd endpoint [" + ProviderContext.printable(endpoint) + "] of [" + ProviderContext.printable(spec) + "]: "
                        + e.getMessage());
            }
        }
        return endpoints;
    }

    private static String parseKey(String path, String spec) throws BackendSpecException {
        // "/nodes/" and "/nodes" name the same directory-like key; children always follow a '/'.
        int end = path.length();
        while (end > 0 && path.charAt(end - 1) == '/') {
            end--;
        }
        String key = path.substring(0, end);
        if (key.isEmpty()) {
            throw new BackendSpecException("no key path in [" + ProviderContext.printable(spec) + "]; expected " + SYNTAX);
        }
        if (key.contains("#")) {
            throw new BackendSpecException("key path [" + ProviderContext.printable(path) + "] of [" + ProviderContext.printable(spec) + "] must not contain [#]");
        }
        return key;
    }

    private static void checkNoOptions(String query, String spec) throws BackendSpecException {
        for (String option : query.split("&", -1)) {
            if (!option.isEmpty()) {
                throw new BackendSpecException("unknown option [" + ProviderContext.printable(option) + "] in [" + ProviderContext.printable(spec)
                        + "]; etcd:// takes no options");
            }
        }
    }
}
