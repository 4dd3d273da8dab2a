package org.ambassadord.plugin.omni;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;

/**
 * One spelling per client address, so that an address Docker reports and the address a
 * connection comes from compare equal: an IPv4 client of a dual-stack socket may appear as
 * {@code ::ffff:172.17.0.3}.
 */
final class ClientAddresses {

    private ClientAddresses() {
    }

    /** The IPv4 address inside an IPv4-mapped IPv6 address; any other address unchanged. */
    static InetAddress normalise(InetAddress address) {
        if (address instanceof Inet6Address) {
            byte[] bytes = address.getAddress();
            boolean mapped = bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
            for (int i = 0; i < 10 && mapped; i++) {
                mapped = bytes[i] == 0;
            }
            if (mapped) {
                try {
                    return InetAddress.getByAddress(Arrays.copyOfRange(bytes, 12, 16));
                } catch (UnknownHostException e) {
                    throw new IllegalStateException("four bytes are always an IPv4 address", e);
                }
            }
        }
        return address;
    }

    /**
     * Parses an address literal as Docker reports it ({@code "172.17.0.2"},
     * {@code "fd00::2"}, or {@code ""} when the container has none on that network). Never
     * resolves a host name: anything that is not a literal is ignored.
     */
    static Optional<InetAddress> parseLiteral(String literal) {
        if (literal == null || literal.isBlank()) {
            return Optional.empty();
        }
        String text = literal.strip();
        // The JDK looks up, as a host name, whatever it cannot parse (999.1.1.1, 1:2:3); in
        // brackets, a text that is not an IPv6 literal is an error instead.
        boolean ipv6 = text.contains(":") && text.matches("[0-9a-fA-F:.]+");
        boolean ipv4 = text.matches("\\d{1,3}(\\.\\d{1,3}){3}")
                && java.util.Arrays.stream(text.split("\\.")).allMatch(octet -> Integer.parseInt(octet) <= 255);
        if (!ipv6 && !ipv4) {
            return Optional.empty();
        }
        try {
            return Optional.of(normalise(InetAddress.getByName(ipv6 ? "[" + text + "]" : text)));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
