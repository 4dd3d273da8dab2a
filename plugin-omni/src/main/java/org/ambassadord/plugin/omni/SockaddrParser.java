package org.ambassadord.plugin.omni;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Optional;

/**
 * Decodes the {@code sockaddr_in} / {@code sockaddr_in6} that {@code SO_ORIGINAL_DST}
 * returns. The family field is in host byte order, the port in network byte order.
 */
final class SockaddrParser {

    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int SOCKADDR_IN_SIZE = 16;
    static final int SOCKADDR_IN6_SIZE = 28;

    private SockaddrParser() {
    }

    /**
     * @param value  the buffer the kernel filled
     * @param length how many bytes it wrote
     * @return the address, or empty for an unknown family or a short buffer
     */
    static Optional<InetSocketAddress> parse(byte[] value, int length) {
        if (length < 2 || value.length < length) {
            return Optional.empty();
        }
        int family = ByteBuffer.wrap(value, 0, 2).order(ByteOrder.nativeOrder()).getShort() & 0xffff;
        int port = ((value[2] & 0xff) << 8) | (value[3] & 0xff);
        try {
            if (family == AF_INET && length >= SOCKADDR_IN_SIZE) {
                return Optional.of(new InetSocketAddress(InetAddress.getByAddress(Arrays.copyOfRange(value, 4, 8)), port));
            }
            if (family == AF_INET6 && length >= SOCKADDR_IN6_SIZE) {
                // getByAddress turns an IPv4-mapped address into an Inet4Address by itself.
                return Optional.of(new InetSocketAddress(InetAddress.getByAddress(Arrays.copyOfRange(value, 8, 24)), port));
            }
        } catch (UnknownHostException e) {
            // Only thrown for a wrong array length, which the checks above exclude.
            return Optional.empty();
        }
        return Optional.empty();
    }
}
