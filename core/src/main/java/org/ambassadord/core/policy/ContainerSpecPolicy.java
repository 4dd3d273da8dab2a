package org.ambassadord.core.policy;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the operator allows specs that containers choose (omni mode). Immutable.
 *
 * @param schemes               the schemes a container may use ({@code --omni-schemes})
 * @param upstream              the endpoints they may reach
 * @param credentialHosts       {@code host} or {@code host:port} entries the operator's
 *                              credentials may be sent to ({@code --credential-hosts})
 * @param maxSpecs              backends open for containers, in all ({@code --omni-max-specs})
 * @param maxSpecsPerContainer  the same per container ({@code --omni-max-specs-per-container})
 */
public record ContainerSpecPolicy(Set<String> schemes, UpstreamPolicy upstream, List<String> credentialHosts,
                                  int maxSpecs, int maxSpecsPerContainer) {

    /** The built-in discovery schemes; plugin schemes opt in by being listed. */
    public static final Set<String> DEFAULT_SCHEMES = Set.of("static", "srv", "etcd", "consul");
    /** Schemes a container may never use: they would hand it the ambassador's own powers. */
    public static final Set<String> FORBIDDEN_SCHEMES = Set.of("omni", "links");
    public static final int DEFAULT_MAX_SPECS = 128;
    public static final int DEFAULT_MAX_SPECS_PER_CONTAINER = 16;

    public ContainerSpecPolicy {
        schemes = Set.copyOf(schemes);
        credentialHosts = credentialHosts.stream().map(host -> host.strip().toLowerCase(Locale.ROOT))
                .filter(host -> !host.isEmpty()).toList();
        Set<String> forbidden = new TreeSet<>(schemes);
        forbidden.retainAll(FORBIDDEN_SCHEMES);
        if (!forbidden.isEmpty()) {
            throw new IllegalArgumentException("--omni-schemes may not list " + forbidden
                    + ": a container would get the ambassador's own view of the host");
        }
        if (maxSpecs < 1 || maxSpecsPerContainer < 1) {
            throw new IllegalArgumentException("--omni-max-specs [" + maxSpecs + "] and --omni-max-specs-per-container ["
                    + maxSpecsPerContainer + "] must be at least 1");
        }
    }

    /** Parses {@code --omni-schemes}: comma-separated, lowercase. */
    public static Set<String> parseSchemes(List<String> values) {
        Set<String> schemes = new TreeSet<>();
        for (String value : values) {
            for (String scheme : value.split(",")) {
                String trimmed = scheme.strip().toLowerCase(Locale.ROOT);
                if (!trimmed.isEmpty()) {
                    if (!trimmed.matches("[a-z][a-z0-9+.-]*")) {
                        throw new IllegalArgumentException("--omni-schemes: [" + scheme.strip() + "] is not a scheme name");
                    }
                    schemes.add(trimmed);
                }
            }
        }
        return schemes;
    }

    /**
     * Whether an endpoint a container chose may see the operator's TLS client certificate: its
     * host name (as the spec named it) or its address is a credential host.
     */
    public boolean isCredentialEndpoint(java.net.InetSocketAddress endpoint) {
        return isCredentialHost(endpoint.getHostString(), endpoint.getPort())
                || endpoint.getAddress() != null && isCredentialHost(endpoint.getAddress().getHostAddress(), endpoint.getPort());
    }

    /**
     * Whether a backend opened for a container may authenticate to a host: an entry
     * {@code host} matches the host on any port, {@code host:port} or {@code [v6]:port} only
     * that port. Names are compared as written (case-insensitive), never resolved.
     */
    boolean isCredentialHost(String host, int port) {
        String name = unbracketed(host.toLowerCase(Locale.ROOT));
        for (String entry : credentialHosts) {
            int colon = entry.lastIndexOf(':');
            boolean hasPort = colon > 0 && (entry.startsWith("[") || entry.indexOf(':') == colon)
                    && entry.substring(colon + 1).matches("\\d{1,5}");
            String entryHost = unbracketed(hasPort ? entry.substring(0, colon) : entry);
            if (sameHost(entryHost, name) && (!hasPort || Integer.parseInt(entry.substring(colon + 1)) == port)) {
                return true;
            }
        }
        return false;
    }

    /** Names compare as text; address literals as addresses ({@code fd00::7} = {@code fd00:0:0::7}). */
    private static boolean sameHost(String entry, String host) {
        if (entry.equals(host)) {
            return true;
        }
        Optional<InetAddress> a = AddressBlock.literal(entry);
        Optional<InetAddress> b = AddressBlock.literal(host);
        return a.isPresent() && b.isPresent()
                && AddressBlock.unmapped(a.get()).equals(AddressBlock.unmapped(b.get()));
    }

    private static String unbracketed(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
