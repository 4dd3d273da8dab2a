package org.ambassadord.plugin.omni;

import java.net.InetAddress;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.github.dockerjava.api.model.ContainerNetwork;

/**
 * A container on one network: its addresses there and the aliases other containers on that
 * network can call it by.
 *
 * @param network the network's name
 * @param ipv4    its IPv4 address on that network, if any
 * @param ipv6    its global IPv6 address there, if any
 * @param aliases its aliases there (Compose sets the service name), at most {@link #MAX_ALIASES}
 */
public record NetworkAttachment(String network, Optional<InetAddress> ipv4, Optional<InetAddress> ipv6, Set<String> aliases) {

    /** A container's own text: a fixed number of aliases, each no longer than a DNS name. */
    static final int MAX_ALIASES = 16;
    static final int MAX_NAME_LENGTH = 253;

    public NetworkAttachment {
        aliases = Set.copyOf(aliases);
    }

    static NetworkAttachment of(String network, ContainerNetwork endpoint, List<String> aliases) {
        Set<String> kept = new LinkedHashSet<>();
        if (aliases != null) {
            for (String alias : aliases) {
                if (alias != null && !alias.isEmpty() && alias.length() <= MAX_NAME_LENGTH && kept.size() < MAX_ALIASES) {
                    kept.add(alias);
                }
            }
        }
        return new NetworkAttachment(capped(network), ClientAddresses.parseLiteral(endpoint.getIpAddress()),
                ClientAddresses.parseLiteral(endpoint.getGlobalIPv6Address()), kept);
    }

    /** The address to connect to: IPv4 where there is one, else IPv6. */
    public Optional<InetAddress> address() {
        return ipv4.or(() -> ipv6);
    }

    /** Docker's own networks, where aliases mean nothing: only user-defined networks resolve names. */
    public boolean userDefined() {
        return !network.equals("bridge") && !network.equals("host") && !network.equals("none");
    }

    static String capped(String text) {
        return text == null ? "" : text.length() > MAX_NAME_LENGTH ? text.substring(0, MAX_NAME_LENGTH) : text;
    }
}
