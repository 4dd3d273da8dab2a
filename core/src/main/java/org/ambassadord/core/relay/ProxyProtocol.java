package org.ambassadord.core.relay;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.ambassadord.core.relay.socket.RelaySocket;
import org.ambassadord.core.tls.TlsPeer;
import org.ambassadord.spi.ClientConnection;

/**
 * The PROXY protocol header (HAProxy's spec, versions 1 and 2) that tells a backend who the
 * client is: sent on the backend connection before any of the client's bytes, as HAProxy's
 * {@code send-proxy} / {@code send-proxy-v2} do. The source is the client's address; the
 * destination is the address the client dialled (its original destination in omni mode).
 * A client and destination of different families (an IPv4 client on an IPv6 listener) are
 * both sent as IPv6, the v4 address mapped.
 */
public enum ProxyProtocol {
    OFF, V1, V2;

    /** v2's fixed signature: \r\n\r\n\0\r\nQUIT\n. */
    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    /** {@code off}, {@code v1} or {@code v2}; anything else is a usage error. */
    public static ProxyProtocol parse(String text) {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "off", "" -> OFF;
            case "v1", "1" -> V1;
            case "v2", "2" -> V2;
            default -> throw new IllegalArgumentException("--proxy-protocol [" + text + "] is not off, v1 or v2");
        };
    }

    /** The header for one connection; empty for {@link #OFF}. */
    /**
     * Sends the header, when configured, before any of the client's bytes. A new connection's
     * send buffer is empty and the header at most 108 bytes (about 1.5 KiB with TLS TLVs, whose
     * texts {@link TlsPeer} caps), so one non-blocking write takes it
     * all; if it ever did not, the connection is closed rather than sending the client's bytes
     * ahead of a partial header.
     */
    void send(RelaySocket backend, ClientConnection connection, java.util.Optional<TlsPeer> tls) throws java.io.IOException {
        if (this == OFF) {
            return;
        }
        ByteBuffer header = header(connection.client(), connection.originalDestination().orElse(connection.local()), tls);
        int size = header.remaining();
        backend.write(header);
        if (header.hasRemaining()) {
            throw new java.io.IOException("the backend took only " + (size - header.remaining()) + " of the " + size
                    + " bytes of the PROXY protocol header");
        }
    }

    ByteBuffer header(InetSocketAddress client, InetSocketAddress destination) {
        return header(client, destination, java.util.Optional.empty());
    }

    /** With the client's TLS (terminated here), v2 carries HAProxy's SSL TLVs; v1 has no place for them. */
    ByteBuffer header(InetSocketAddress client, InetSocketAddress destination, java.util.Optional<TlsPeer> tls) {
        if (this == OFF) {
            return ByteBuffer.allocate(0);
        }
        InetAddress source = client.getAddress();
        InetAddress target = destination.getAddress();
        boolean ipv4 = source instanceof Inet4Address && target instanceof Inet4Address;
        return this == V1 ? v1(source, target, client.getPort(), destination.getPort(), ipv4)
                : v2(source, target, client.getPort(), destination.getPort(), ipv4, tls.map(ProxyProtocol::sslTlv));
    }

    /**
     * {@code PP2_TYPE_SSL}: client flags (SSL; a certificate on this connection), verify 0 (the
     * listener verified it, or there is none), then the version, the certificate's CN, the
     * cipher, its signature and key algorithms as sub-TLVs.
     */
    private static byte[] sslTlv(TlsPeer peer) {
        java.io.ByteArrayOutputStream value = new java.io.ByteArrayOutputStream();
        value.write(peer.presentedCertificate() ? 0x01 | 0x02 | 0x04 : 0x01);
        value.writeBytes(new byte[] {0, 0, 0, 0});
        tlv(value, 0x21, peer.protocol());
        peer.commonName().ifPresent(cn -> tlv(value, 0x22, cn));
        tlv(value, 0x23, peer.cipherSuite());
        if (peer.presentedCertificate()) {
            tlv(value, 0x24, peer.signatureAlgorithm());
            tlv(value, 0x25, peer.keyAlgorithm());
        }
        java.io.ByteArrayOutputStream ssl = new java.io.ByteArrayOutputStream();
        tlv(ssl, 0x20, value.toByteArray());
        return ssl.toByteArray();
    }

    private static void tlv(java.io.ByteArrayOutputStream out, int type, String text) {
        tlv(out, type, text.getBytes(StandardCharsets.UTF_8));
    }

    private static void tlv(java.io.ByteArrayOutputStream out, int type, byte[] value) {
        out.write(type);
        out.write(value.length >> 8);
        out.write(value.length & 0xff);
        out.writeBytes(value);
    }

    private static ByteBuffer v1(InetAddress source, InetAddress target, int sourcePort, int targetPort, boolean ipv4) {
        String line = "PROXY " + (ipv4 ? "TCP4 " : "TCP6 ") + text(source, ipv4) + " " + text(target, ipv4) + " "
                + sourcePort + " " + targetPort + "\r\n";
        return ByteBuffer.wrap(line.getBytes(StandardCharsets.US_ASCII));
    }

    private static ByteBuffer v2(InetAddress source, InetAddress target, int sourcePort, int targetPort, boolean ipv4,
                                 java.util.Optional<byte[]> tlvs) {
        int addressLength = ipv4 ? 12 : 36;
        byte[] extra = tlvs.orElse(new byte[0]);
        ByteBuffer header = ByteBuffer.allocate(16 + addressLength + extra.length);
        header.put(V2_SIGNATURE);
        header.put((byte) 0x21); // version 2, command PROXY
        header.put((byte) (ipv4 ? 0x11 : 0x21)); // TCP over IPv4 or IPv6
        header.putShort((short) (addressLength + extra.length));
        header.put(bytes(source, ipv4)).put(bytes(target, ipv4));
        header.putShort((short) sourcePort).putShort((short) targetPort);
        header.put(extra);
        return header.flip();
    }

    private static String text(InetAddress address, boolean ipv4) {
        if (ipv4) {
            return address.getHostAddress();
        }
        // Full IPv6 form without a scope, as the spec's examples; v4 addresses mapped.
        byte[] v6 = bytes(address, false);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 16; i += 2) {
            out.append(i == 0 ? "" : ":").append(Integer.toHexString(((v6[i] & 0xff) << 8) | (v6[i + 1] & 0xff)));
        }
        return out.toString();
    }

    private static byte[] bytes(InetAddress address, boolean ipv4) {
        byte[] raw = address.getAddress();
        if (ipv4 || raw.length == 16) {
            return raw;
        }
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(raw, 0, mapped, 12, 4);
        return mapped;
    }
}
