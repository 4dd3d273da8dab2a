package org.ambassadord.core.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.ambassadord.core.logging.RefusalLog;
import org.junit.jupiter.api.Test;

class ProxyProtocolTest {

    private static InetSocketAddress at(String address, int port) throws IOException {
        return new InetSocketAddress(InetAddress.getByName(address), port);
    }

    private static String text(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    @Test
    void version1NamesBothEndsInText() throws Exception {
        assertEquals("PROXY TCP4 10.0.0.5 172.17.0.2 41234 6379\r\n",
                text(ProxyProtocol.V1.header(at("10.0.0.5", 41234), at("172.17.0.2", 6379))));
        assertEquals("PROXY TCP6 fd00:0:0:0:0:0:0:1 0:0:0:0:0:ffff:a00:5 5 80\r\n",
                text(ProxyProtocol.V1.header(at("fd00::1", 5), at("10.0.0.5", 80))), "mixed families as IPv6");
    }

    @Test
    void version2IsTheBinaryHeaderOfTheSpec() throws Exception {
        ByteBuffer header = ProxyProtocol.V2.header(at("10.0.0.5", 41234), at("172.17.0.2", 6379));
        byte[] bytes = new byte[header.remaining()];
        header.get(bytes);
        assertArrayEquals(HexFormat.of().parseHex("0d0a0d0a000d0a515549540a" + "21" + "11" + "000c"
                + "0a000005" + "ac110002" + "a112" + "18eb"), bytes);
        assertEquals(16 + 36, ProxyProtocol.V2.header(at("::1", 1), at("::1", 2)).remaining());
        assertEquals(0, ProxyProtocol.OFF.header(at("::1", 1), at("::1", 2)).remaining());
    }

    @Test
    void onlyOffV1AndV2Parse() {
        assertEquals(ProxyProtocol.V2, ProxyProtocol.parse("v2"));
        assertEquals("--proxy-protocol [v3] is not off, v1 or v2",
                assertThrows(IllegalArgumentException.class, () -> ProxyProtocol.parse("v3")).getMessage());
    }

    /** The backend reads the header first, then the client's own bytes, and sees the client's port. */
    @Test
    void theRelaySendsTheHeaderBeforeTheClientsBytes() throws Exception {
        CompletableFuture<String> seen = new CompletableFuture<>();
        try (TestServers.Server backend = new TestServers.Server(socket -> {
            try (socket) {
                InputStream in = socket.getInputStream();
                StringBuilder line = new StringBuilder();
                for (int c; (c = in.read()) >= 0 && line.length() < 200; ) {
                    line.append((char) c);
                    if (line.toString().endsWith("hello")) {
                        break;
                    }
                }
                seen.complete(line.toString());
            } catch (IOException e) {
                seen.completeExceptionally(e);
            }
        });
             RelayServer relay = RelayServer.start(FixedBackend.of(backend.address()),
                     RelaySettings.defaults(List.of(0)).withBindAddress(InetAddress.getLoopbackAddress()).withLoops(1)
                             .withProxyProtocol(ProxyProtocol.V1), Optional.empty(), new RefusalLog());
             Socket client = new Socket()) {
            client.connect(relay.listenAddresses().get(0), 2000);
            client.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
            assertEquals("PROXY TCP4 127.0.0.1 127.0.0.1 " + client.getLocalPort() + " "
                    + relay.listenAddresses().get(0).getPort() + "\r\nhello", seen.get(10, TimeUnit.SECONDS));
        }
    }
}
