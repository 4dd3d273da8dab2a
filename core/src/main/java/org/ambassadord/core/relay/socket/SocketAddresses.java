package org.ambassadord.core.relay.socket;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

import com.kenai.jffi.MemoryIO;

/**
 * {@code sockaddr_in} and {@code sockaddr_in6} in native memory, for the native loop's
 * connect, accept and getsockname. The family is in host order, the port in network order.
 * An IPv4-mapped IPv6 address (a dual-stack listener's IPv4 client) reads back as the IPv4
 * address, as the JDK reports it.
 */
public final class SocketAddresses {

    /** Room for either form (sockaddr_in6 is 28 bytes). */
    public static final int MAX_LENGTH = 32;
    private static final int IN_LENGTH = 16;
    private static final int IN6_LENGTH = 28;

    private static final MemoryIO MEMORY = MemoryIO.getInstance();

    private SocketAddresses() {
    }

    public static int family(InetSocketAddress address) {
        return address.getAddress() instanceof Inet4Address ? SocketCalls.AF_INET : SocketCalls.AF_INET6;
    }

    /** Writes {@code address} at {@code memory}. @return its length */
    static int write(InetSocketAddress address, long memory) {
        MEMORY.setMemory(memory, MAX_LENGTH, (byte) 0);
        InetAddress ip = address.getAddress();
        MEMORY.putShort(memory, (short) family(address));
        MEMORY.putByte(memory + 2, (byte) (address.getPort() >>> 8));
        MEMORY.putByte(memory + 3, (byte) address.getPort());
        byte[] bytes = ip.getAddress();
        if (ip instanceof Inet4Address) {
            MEMORY.putByteArray(memory + 4, bytes, 0, 4);
            return IN_LENGTH;
        }
        MEMORY.putByteArray(memory + 8, bytes, 0, 16);
        MEMORY.putInt(memory + 24, ((Inet6Address) ip).getScopeId());
        return IN6_LENGTH;
    }

    /** Reads the address at {@code memory} (IPv4 or IPv6). */
    public static InetSocketAddress read(long memory) {
        int family = MEMORY.getShort(memory) & 0xffff;
        int port = (MEMORY.getByte(memory + 2) & 0xff) << 8 | MEMORY.getByte(memory + 3) & 0xff;
        byte[] bytes;
        int scope = 0;
        if (family == SocketCalls.AF_INET) {
            bytes = new byte[4];
            MEMORY.getByteArray(memory + 4, bytes, 0, 4);
        } else if (family == SocketCalls.AF_INET6) {
            bytes = new byte[16];
            MEMORY.getByteArray(memory + 8, bytes, 0, 16);
            scope = MEMORY.getInt(memory + 24);
        } else {
            throw new IllegalStateException("not an IP socket address: family " + family);
        }
        try {
            InetAddress ip = InetAddress.getByAddress(bytes);
            if (ip instanceof Inet6Address && scope != 0) {
                ip = Inet6Address.getByAddress(null, bytes, scope);
            }
            return new InetSocketAddress(ip, port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("a socket address of " + bytes.length + " bytes", e);
        }
    }
}
