package org.ambassadord.plugin.omni;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;

import org.ambassadord.spi.ProviderContext;

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
        try {
            return ProviderContext.ipLiteral(literal.strip()).map(ClientAddresses::normalise);
        } catch (IllegalArgumentException notALiteral) {
            return Optional.empty();
        }
    }
}
