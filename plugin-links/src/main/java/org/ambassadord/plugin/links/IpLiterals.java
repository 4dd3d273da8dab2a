package org.ambassadord.plugin.links;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Tells IP literals from host names without a DNS look-up. {@link InetAddress#getByName}
 * parses a literal without asking DNS, but quietly looks up anything else (even
 * {@code 300.1.1.1}), so only strings that are literals by their shape get there.
 */
final class IpLiterals {

    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
    /** Hex groups, colons, an optional embedded IPv4 tail and an optional zone ({@code %eth0}). */
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[A-Za-z0-9_.-]+)?");

    private IpLiterals() {
    }

    /**
     * The address of an IP literal (IPv6 without brackets), or empty for a host name.
     *
     * @throws UnknownHostException when the text has a colon but is not an IPv6 literal
     */
    static Optional<InetAddress> parse(String host) throws UnknownHostException {
        if (host.indexOf(':') >= 0 && !IPV6.matcher(host).matches()) {
            // No host name has a colon, so this is a broken IPv6 literal.
            throw new UnknownHostException(host);
        }
        if (IPV4.matcher(host).matches() || IPV6.matcher(host).matches()) {
            return Optional.of(InetAddress.getByName(host));
        }
        return Optional.empty();
    }
}
