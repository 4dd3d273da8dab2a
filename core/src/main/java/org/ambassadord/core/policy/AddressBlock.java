package org.ambassadord.core.policy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;

/**
 * A CIDR block such as {@code 10.0.0.0/8} or {@code fd00::/8}. An IPv4-mapped IPv6 address
 * ({@code ::ffff:127.0.0.1}) is compared as the IPv4 address it carries, both as a block and
 * as a tested address, so a mapped spelling cannot slip past an IPv4 rule.
 *
 * @param network the block's first address (host bits cleared)
 * @param prefix  the prefix length, 0-32 or 0-128
 */
record AddressBlock(InetAddress network, int prefix) {

    AddressBlock {
        network = unmapped(network);
        int bits = network.getAddress().length * 8;
        if (prefix < 0 || prefix > bits) {
            throw new IllegalArgumentException("prefix length [" + prefix + "] is out of range 0-" + bits);
        }
        network = masked(network, prefix);
    }

    /** The block of exactly one address. */
    static AddressBlock of(InetAddress address) {
        InetAddress plain = unmapped(address);
        return new AddressBlock(plain, plain.getAddress().length * 8);
    }

    /**
     * Parses {@code 10.0.0.0/8}, {@code 10.1.2.3} (one address), {@code fd00::/8} or
     * {@code ::1}. Only literals: a host name is an error, never looked up.
     */
    static AddressBlock parse(String text) {
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        InetAddress parsed = literal(address)
                .orElseThrow(() -> new IllegalArgumentException("[" + text + "] is not an address or CIDR block"));
        if (slash < 0) {
            return of(parsed);
        }
        String length = text.substring(slash + 1);
        if (!length.matches("\\d{1,3}")) {
            throw new IllegalArgumentException("prefix length [" + length + "] of [" + text + "] is not a number");
        }
        int bits = Integer.parseInt(length);
        if (address.contains(":") && parsed.getAddress().length == 4) {
            // ::ffff:10.0.0.0/104 is the IPv4 block 10.0.0.0/8.
            bits -= 96;
        }
        try {
            return new AddressBlock(parsed, bits);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " in [" + text + "]");
        }
    }

    boolean contains(InetAddress address) {
        byte[] candidate = unmapped(address).getAddress();
        byte[] mine = network.getAddress();
        if (candidate.length != mine.length) {
            return false;
        }
        return Arrays.equals(masked(candidate, prefix), mine);
    }

    @Override
    public String toString() {
        return network.getHostAddress() + "/" + prefix;
    }

    /** An address literal, or empty: anything else (a name, a scope id) is not parsed. */
    static Optional<InetAddress> literal(String text) {
        // The JDK takes "10.1" as 10.0.0.1, and looks up anything it cannot parse as a name
        // (999.1.1.1, 1:2:3), which a policy must never do. In brackets, a text that is not
        // an IPv6 literal is an error, not a name.
        boolean ipv6 = text.contains(":") && text.matches("[0-9a-fA-F:.]+");
        boolean ipv4 = text.matches("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
        if (!ipv6 && !ipv4) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(ipv6 ? "[" + text + "]" : text));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** The IPv4 address inside an IPv4-mapped IPv6 address; any other address unchanged. */
    static InetAddress unmapped(InetAddress address) {
        if (address instanceof Inet6Address) {
            byte[] bytes = address.getAddress();
            boolean mapped = bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
            for (int i = 0; i < 10 && mapped; i++) {
                mapped = bytes[i] == 0;
            }
            if (mapped) {
                return byAddress(Arrays.copyOfRange(bytes, 12, 16));
            }
        }
        return address;
    }

    private static InetAddress masked(InetAddress address, int prefix) {
        return byAddress(masked(address.getAddress(), prefix));
    }

    private static byte[] masked(byte[] bytes, int prefix) {
        byte[] result = bytes.clone();
        for (int i = 0; i < result.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            result[i] &= (byte) (0xff << (8 - keep));
        }
        return result;
    }

    private static InetAddress byAddress(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes are always an address", e);
        }
    }
}
