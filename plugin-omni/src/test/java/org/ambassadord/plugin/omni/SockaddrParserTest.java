package org.ambassadord.plugin.omni;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class SockaddrParserTest {

    @Test
    void parsesSockaddrIn() throws Exception {
        byte[] value = sockaddr(SockaddrParser.AF_INET, 6379, 16);
        System.arraycopy(new byte[] {10, (byte) 201, 7, 1}, 0, value, 4, 4);
        assertEquals(Optional.of(new InetSocketAddress(InetAddress.getByName("10.201.7.1"), 6379)),
                SockaddrParser.parse(value, 16));
    }

    @Test
    void parsesSockaddrIn6WithHighPortAndIgnoresFlowInfoAndScope() throws Exception {
        byte[] value = sockaddr(SockaddrParser.AF_INET6, 65535, 28);
        value[4] = 0x12;
        byte[] address = InetAddress.getByName("fd00:ad::1").getAddress();
        System.arraycopy(address, 0, value, 8, 16);
        value[24] = 3;
        assertEquals(Optional.of(new InetSocketAddress(InetAddress.getByName("fd00:ad::1"), 65535)),
                SockaddrParser.parse(value, 28));
    }

    @Test
    void mappedIpv6AddressBecomesIpv4() throws Exception {
        byte[] value = sockaddr(SockaddrParser.AF_INET6, 80, 28);
        value[18] = (byte) 0xff;
        value[19] = (byte) 0xff;
        System.arraycopy(new byte[] {127, 0, 0, 1}, 0, value, 20, 4);
        assertEquals(Optional.of(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 80)),
                SockaddrParser.parse(value, 28));
    }

    @Test
    void shortBuffersAndUnknownFamiliesAreEmpty() {
        assertEquals(Optional.empty(), SockaddrParser.parse(sockaddr(SockaddrParser.AF_INET, 80, 16), 8));
        assertEquals(Optional.empty(), SockaddrParser.parse(sockaddr(SockaddrParser.AF_INET6, 80, 28), 16));
        assertEquals(Optional.empty(), SockaddrParser.parse(sockaddr(1, 80, 16), 16));
        assertEquals(Optional.empty(), SockaddrParser.parse(new byte[0], 0));
    }

    @Test
    void mappedClientAddressesAreNormalisedAndLiteralsNeverResolved() throws Exception {
        InetAddress mapped = java.net.Inet6Address.getByAddress(null,
                new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 172, 17, 0, 3}, -1);
        assertEquals(InetAddress.getByName("172.17.0.3"), ClientAddresses.normalise(mapped));
        assertEquals(Optional.of(InetAddress.getByName("172.17.0.3")), ClientAddresses.parseLiteral("172.17.0.3"));
        assertEquals(Optional.empty(), ClientAddresses.parseLiteral(""));
        assertEquals(Optional.empty(), ClientAddresses.parseLiteral("localhost"));
    }

    /** A buffer with the family in host order and the port in network order, like the kernel's. */
    private static byte[] sockaddr(int family, int port, int size) {
        byte[] value = new byte[size];
        ByteBuffer.wrap(value).order(ByteOrder.nativeOrder()).putShort((short) family);
        value[2] = (byte) (port >> 8);
        value[3] = (byte) port;
        return value;
    }
}
