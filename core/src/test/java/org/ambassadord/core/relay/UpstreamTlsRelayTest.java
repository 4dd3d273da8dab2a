package org.ambassadord.core.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

import org.ambassadord.core.logging.RefusalLog;
import org.ambassadord.core.relay.endpoint.BalancePolicy;
import org.ambassadord.core.tls.Stunnel;
import org.ambassadord.core.tls.TlsFailureReason;
import org.ambassadord.core.tls.TlsFileException;
import org.ambassadord.core.tls.UpstreamTls;
import org.ambassadord.spi.testkit.TestCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS from the relay to its backends (issue 24, origination) against a real TLS server,
 * stunnel 4, in front of a plain echo server: bytes intact both ways with a client
 * certificate, half-close carried as close_notify, and every handshake failure (unknown CA,
 * wrong name, no client certificate) handled as an endpoint failure.
 */
class UpstreamTlsRelayTest {

    @TempDir
    static Path directory;
    private static TestCertificates pki;
    private static TestCertificates otherPki;
    private static TestServers.Server echo;

    @BeforeAll
    static void certificates() throws Exception {
        pki = TestCertificates.create(Files.createDirectories(directory.resolve("pki")));
        otherPki = TestCertificates.create(Files.createDirectories(directory.resolve("other-pki")));
        echo = new TestServers.Server(UpstreamTlsRelayTest::echo);
    }

    @AfterAll
    static void stopEcho() throws IOException {
        echo.close();
    }

    /** Copies what it reads back until end of stream, then half-closes. */
    private static void echo(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            in.transferTo(out);
            socket.shutdownOutput();
        } catch (IOException gone) {
            // the test saw what it needed
        }
    }

    private static UpstreamTls tls(TestCertificates trusted, boolean clientCertificate, Optional<String> verifyName) {
        return UpstreamTls.of(Optional.of(trusted.ca()),
                clientCertificate ? Optional.of(pki.clientCert()) : Optional.empty(),
                clientCertificate ? Optional.of(pki.clientKey()) : Optional.empty(),
                Optional.empty(), verifyName, Duration.ofSeconds(5));
    }

    private static RelayServer relay(UpstreamTls tls, InetSocketAddress... endpoints) throws IOException {
        RelaySettings settings = RelaySettings.defaults(List.of(0)).withBindAddress(InetAddress.getLoopbackAddress())
                .withLoops(1).withBalance(BalancePolicy.ROUND_ROBIN).withTls(new org.ambassadord.core.tls.TlsHops(Optional.empty(), Optional.of(tls)));
        return RelayServer.start(FixedBackend.of(endpoints).ordered(), settings, Optional.empty(), new RefusalLog());
    }

    @Test
    void sixtyFourMebibytesEachWayIntactWithAClientCertificate() throws Exception {
        try (Stunnel server = Stunnel.start(directory, echo.address(), pki.serverCert(), pki.serverKey(), pki.ca());
             UpstreamTls tls = tls(pki, true, Optional.empty())) {
            RelayServer relay = relay(tls, server.address());
            try (Socket client = new Socket()) {
                client.connect(relay.listenAddresses().get(0), 2000);
                client.setSoTimeout(30_000);
                long size = 64L << 20;
                Future<String> sent = CompletableFuture.supplyAsync(() -> {
                    try {
                        String digest = TestServers.sendRandom(client.getOutputStream(), 24, size);
                        client.shutdownOutput();
                        return digest;
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                TestServers.Received back = TestServers.receiveAll(client.getInputStream());
                assertEquals(size, back.bytes(), "every byte came back, then end of stream (close_notify carried both ways)");
                assertEquals(sent.get(), back.sha256());
            } finally {
                relay.close();
            }
        }
    }

    @Test
    void anUnknownCaFailsTheEndpointAndTheNextOneServes() throws Exception {
        try (Stunnel stranger = Stunnel.start(directory, echo.address(), otherPki.serverCert(), otherPki.serverKey(), null);
             Stunnel known = Stunnel.start(directory, echo.address(), pki.serverCert(), pki.serverKey(), null);
             UpstreamTls tls = tls(pki, false, Optional.empty())) {
            RelayServer relay = relay(tls, stranger.address(), known.address());
            try {
                for (int i = 0; i < 4; i++) {
                    assertEquals("ping " + i, roundTrip(relay, "ping " + i));
                }
                assertTrue(stranger.log().contains("SSL_accept"),
                        "the endpoint with a certificate of an unknown CA was tried and refused: " + stranger.log());
                assertTrue(tls.counters().failedCount(TlsFailureReason.UNKNOWN_CA) >= 1, "counted as unknown_ca");
                assertEquals(4, tls.counters().succeededCount());
            } finally {
                relay.close();
            }
        }
    }

    @Test
    void aCertificateWithoutTheVerifiedNameIsRefused() throws Exception {
        try (Stunnel server = Stunnel.start(directory, echo.address(), pki.serverCert(), pki.serverKey(), null);
             UpstreamTls wrongName = tls(pki, false, Optional.of("not-localhost.test"));
             UpstreamTls rightName = tls(pki, false, Optional.of("localhost"))) {
            RelayServer refused = relay(wrongName, server.address());
            try {
                assertEquals("", roundTrip(refused, "ping"), "no byte reaches a backend whose name does not match");
                assertEquals(1, wrongName.counters().failedCount(TlsFailureReason.NAME_MISMATCH));
            } finally {
                refused.close();
            }
            RelayServer served = relay(rightName, server.address());
            try {
                assertEquals("ping", roundTrip(served, "ping"));
            } finally {
                served.close();
            }
        }
    }

    @Test
    void aServerThatRequiresAClientCertificateGetsNoBytesWithoutOne() throws Exception {
        try (Stunnel server = Stunnel.start(directory, echo.address(), pki.serverCert(), pki.serverKey(), pki.ca());
             UpstreamTls tls = tls(pki, false, Optional.empty())) {
            RelayServer relay = relay(tls, server.address());
            try {
                assertEquals("", roundTrip(relay, "ping"));
            } finally {
                relay.close();
            }
        }
    }

    @Test
    void aKeyThatIsNotTheCertificatesIsRefusedAtOnce() {
        TlsFileException e = assertThrows(TlsFileException.class, () -> UpstreamTls.of(Optional.empty(),
                Optional.of(pki.clientCert()), Optional.of(otherPki.clientKey()), Optional.empty(), Optional.empty(),
                Duration.ofSeconds(1)));
        assertTrue(e.getMessage().startsWith("--upstream-key [" + otherPki.clientKey() + "] is not the key of --upstream-cert"),
                e.getMessage());
    }

    @Test
    void aChainWithAnIntermediateIsVerifiedAgainstTheRootAloneOnBothHops() throws Exception {
        org.ambassadord.core.tls.ChainCertificates chain = org.ambassadord.core.tls.ChainCertificates.create(
                Files.createDirectories(directory.resolve("chain")));
        try (Stunnel server = Stunnel.start(directory, echo.address(), chain.chain(), chain.key(), null);
             UpstreamTls tls = UpstreamTls.of(Optional.of(chain.root()), Optional.empty(), Optional.empty(), Optional.empty(),
                     Optional.empty(), Duration.ofSeconds(5));
             org.ambassadord.core.tls.ServerTls listener = org.ambassadord.core.tls.ServerTls.of(chain.chain(), chain.key(),
                     Optional.empty(), Duration.ofSeconds(5))) {
            RelaySettings settings = RelaySettings.defaults(List.of(0)).withBindAddress(InetAddress.getLoopbackAddress())
                    .withLoops(1).withTls(new org.ambassadord.core.tls.TlsHops(Optional.of(listener), Optional.of(tls)));
            RelayServer relay = RelayServer.start(FixedBackend.of(server.address()), settings, Optional.empty(), new RefusalLog());
            try (Stunnel client = Stunnel.client(directory, relay.listenAddresses().get(0), chain.root(), "localhost", null, null)) {
                RelayServer plainFront = relay(new ClientChoosesTls(client.address(), false), Optional.empty());
                try {
                    assertEquals("through two chains", roundTrip(plainFront, "through two chains"));
                } finally {
                    plainFront.close();
                }
                // stunnel's readiness probe made a connection of its own through both hops too.
                assertTrue(listener.counters().succeededCount() >= 1 && tls.counters().succeededCount() >= 1);
                assertEquals(0, tls.counters().failedCount(TlsFailureReason.UNKNOWN_CA));
            } finally {
                relay.close();
            }
        }
    }

    @Test
    void theServerNameSentIsTheSpecsHostNameOrTheOptionAndNoneForABareIp() throws Exception {
        int port = org.ambassadord.spi.testkit.FreePorts.distinct(1)[0];
        // s_server serves the stranger's certificate unless the client names localhost.
        Process server = new ProcessBuilder("openssl", "s_server", "-accept", "127.0.0.1:" + port, "-cert",
                otherPki.serverCert().toString(), "-key", otherPki.serverKey().toString(), "-servername", "localhost",
                "-cert2", pki.serverCert().toString(), "-key2", pki.serverKey().toString(), "-rev", "-quiet")
                .redirectErrorStream(true).redirectOutput(directory.resolve("sni.log").toFile()).start();
        try {
            awaitPort(port);
            InetSocketAddress byAddress = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port);
            InetSocketAddress byName = new InetSocketAddress(InetAddress.getByAddress("localhost",
                    new byte[] {127, 0, 0, 1}), port);
            try (UpstreamTls tls = tls(pki, false, Optional.empty());
                 UpstreamTls named = UpstreamTls.of(Optional.of(pki.ca()), Optional.empty(), Optional.empty(),
                         Optional.of("localhost"), Optional.empty(), Duration.ofSeconds(5))) {
                assertEquals("", lineThrough(tls, byAddress), "no SNI for a bare IP: the default certificate, of a CA we do not trust");
                assertEquals("olleh", lineThrough(tls, byName), "the spec's host name as SNI");
                assertEquals("olleh", lineThrough(named, byAddress), "--upstream-sni");
            }
        } finally {
            server.destroyForcibly().waitFor();
        }
    }

    @Test
    void anIpv6EndpointIsVerifiedByTheIpInTheCertificate() throws Exception {
        org.ambassadord.core.tls.ChainCertificates chain = org.ambassadord.core.tls.ChainCertificates.create(
                Files.createDirectories(directory.resolve("chain6")));
        try (Stunnel server = Stunnel.startIpv6(directory, echo.address(), chain.chain(), chain.key());
             UpstreamTls tls = UpstreamTls.of(Optional.of(chain.root()), Optional.empty(), Optional.empty(), Optional.empty(),
                     Optional.empty(), Duration.ofSeconds(5))) {
            assertTrue(server.address().getAddress() instanceof java.net.Inet6Address);
            RelayServer relay = relay(tls, server.address());
            try {
                assertEquals("over v6", roundTrip(relay, "over v6"));
            } finally {
                relay.close();
            }
        }
    }

    @Test
    void aCaBundleReplacedInItsFolderIsTrustedByTheNextHandshakes() throws Exception {
        Path folder = Files.createDirectories(directory.resolve("upstream-ca"));
        Path bundle = folder.resolve("ca.pem");
        Files.copy(otherPki.ca(), bundle, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (Stunnel server = Stunnel.start(directory, echo.address(), pki.serverCert(), pki.serverKey(), null);
             UpstreamTls tls = UpstreamTls.of(Optional.of(bundle), Optional.empty(), Optional.empty(), Optional.empty(),
                     Optional.empty(), Duration.ofSeconds(5));
             org.ambassadord.core.tls.TlsFileWatcher watcher = org.ambassadord.core.tls.TlsFileWatcher.start(tls.reloadable())) {
            RelayServer relay = relay(tls, server.address());
            try {
                assertEquals("", roundTrip(relay, "ping"), "the server's CA is not the one in the bundle yet");
                Path next = folder.resolve(".ca.pem.new");
                Files.copy(pki.ca(), next);
                Files.move(next, bundle, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                long moved = System.nanoTime();
                String answer = "";
                while (!answer.equals("ping") && System.nanoTime() - moved < java.util.concurrent.TimeUnit.SECONDS.toNanos(2)) {
                    Thread.sleep(100);
                    answer = roundTrip(relay, "ping");
                }
                assertEquals("ping", answer, "trusted within 2 s of the bundle's replacement");
                assertEquals(1, watcher.reloads());
                assertEquals(1, tls.reloadable().get(0).reloads());
            } finally {
                relay.close();
            }
        }
    }

    @Test
    void tls12CarriesBytesBothWaysAndEndsWithTheConnection() throws Exception {
        try (Stunnel server = Stunnel.startTls12(directory, echo.address(), pki.serverCert(), pki.serverKey());
             UpstreamTls tls = tls(pki, false, Optional.empty())) {
            RelayServer relay = relay(tls, server.address());
            try (java.net.Socket client = new java.net.Socket()) {
                client.connect(relay.listenAddresses().get(0), 2000);
                client.setSoTimeout(10_000);
                byte[] megabyte = new byte[1 << 20];
                new java.util.Random(12).nextBytes(megabyte);
                CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                    try {
                        client.getOutputStream().write(megabyte);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                byte[] back = client.getInputStream().readNBytes(megabyte.length);
                sent.get();
                org.junit.jupiter.api.Assertions.assertArrayEquals(megabyte, back, "a mebibyte each way over TLS 1.2");
            } finally {
                relay.close();
            }
            assertTrue(server.log().contains("TLSv1.2"), server.log());
        }
    }

    /** One line through a relay to {@code endpoint} with {@code tls}: what came back ("" when the relay gave up). */
    private static String lineThrough(UpstreamTls tls, InetSocketAddress endpoint) throws Exception {
        RelayServer relay = relay(tls, endpoint);
        try (java.net.Socket client = new java.net.Socket()) {
            client.connect(relay.listenAddresses().get(0), 2000);
            client.setSoTimeout(5000);
            client.getOutputStream().write("hello\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            byte[] answer = new byte[5];
            int read = client.getInputStream().readNBytes(answer, 0, 5);
            return new String(answer, 0, read, java.nio.charset.StandardCharsets.US_ASCII);
        } catch (java.net.SocketException reset) {
            return "";
        } finally {
            relay.close();
        }
    }

    private static void awaitPort(int port) throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (java.net.Socket probe = new java.net.Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("nothing listens on " + port);
    }

    /** A backend whose client says whether it wants TLS, as an omni container does with BACKEND_<port>_TLS. */
    private record ClientChoosesTls(InetSocketAddress endpoint, boolean wantsTls) implements org.ambassadord.spi.Backend {
        @Override
        public java.util.concurrent.CompletionStage<List<InetSocketAddress>> resolve(org.ambassadord.spi.ClientConnection c) {
            return CompletableFuture.completedFuture(List.of(endpoint));
        }

        @Override
        public Optional<Boolean> upstreamTls(org.ambassadord.spi.ClientConnection connection) {
            return Optional.of(wantsTls);
        }

        @Override
        public java.util.Set<Integer> listenPorts() {
            return java.util.Set.of(0);
        }

        @Override
        public void close() {
        }
    }

    private static RelayServer relay(org.ambassadord.spi.Backend backend, Optional<UpstreamTls> tls) throws IOException {
        RelaySettings settings = RelaySettings.defaults(List.of(0)).withBindAddress(InetAddress.getLoopbackAddress())
                .withLoops(1);
        if (tls.isPresent()) {
            settings = settings.withTls(new org.ambassadord.core.tls.TlsHops(Optional.empty(), Optional.of(tls.get())));
        }
        return RelayServer.start(backend, settings, Optional.empty(), new RefusalLog());
    }

    @Test
    void theOperatorsClientCertificateGoesOnlyToCredentialHostsAContainerChose() throws Exception {
        try (Stunnel server = Stunnel.start(directory, echo.address(), pki.serverCert(), pki.serverKey(), pki.ca());
             UpstreamTls tls = tls(pki, true, Optional.empty())) {
            RelayServer relay = relay(new ClientChoosesTls(server.address(), true), Optional.of(tls));
            try {
                assertEquals("", roundTrip(relay, "ping"), "a host the container chose never sees the operator's certificate");
                assertTrue(server.log().contains("peer did not return a certificate")
                        || server.log().contains("certificate required"), server.log());
                tls.presentCertificateToContainerChosen(endpoint -> endpoint.equals(server.address()));
                assertEquals("ping", roundTrip(relay, "ping"), "a credential host does");
            } finally {
                relay.close();
            }
        }
    }

    @Test
    void aClientThatDoesNotAskGetsPlainTcpAndOneThatAsksWithoutUpstreamTlsIsRefused() throws Exception {
        try (UpstreamTls tls = tls(pki, false, Optional.empty())) {
            RelayServer plain = relay(new ClientChoosesTls(echo.address(), false), Optional.of(tls));
            try {
                assertEquals("ping", roundTrip(plain, "ping"), "no TLS unless the client asks, even with --upstream-tls");
            } finally {
                plain.close();
            }
        }
        RelayServer refused = relay(new ClientChoosesTls(echo.address(), true), Optional.empty());
        try {
            assertEquals("", roundTrip(refused, "ping"), "never plaintext to a backend the client expects TLS from");
        } finally {
            refused.close();
        }
    }

    /** Sends a line, half-closes, and reads to end of stream: the echo ("" when the relay gave up). */
    private static String roundTrip(RelayServer relay, String text) throws IOException {
        try (Socket client = new Socket()) {
            client.connect(relay.listenAddresses().get(0), 2000);
            client.setSoTimeout(10_000);
            client.getOutputStream().write(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            client.shutdownOutput();
            try {
                return new String(client.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
            } catch (java.net.SocketException reset) {
                return "";
            }
        }
    }
}
