package org.ambassadord.core.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.ambassadord.core.logging.RefusalLog;
import org.ambassadord.core.relay.endpoint.BalancePolicy;
import org.ambassadord.core.relay.stats.RelayObservers;
import org.ambassadord.core.tls.PemFiles;
import org.ambassadord.core.tls.ServerTls;
import org.ambassadord.core.tls.Stunnel;
import org.ambassadord.core.tls.TlsFailureReason;
import org.ambassadord.core.tls.TlsFileWatcher;
import org.ambassadord.core.tls.TlsHops;
import org.ambassadord.spi.testkit.TestCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS terminated on the listener (issue 24) with real clients: stunnel as a TLS client (64 MiB
 * each way, a client certificate required), {@code openssl s_client} (keys in PKCS#1 and SEC1
 * form, a client without the required certificate), and certificates reloaded while 200
 * connections stay open.
 */
class ListenerTlsRelayTest {

    @TempDir
    static Path directory;
    private static TestCertificates pki;
    private static TestServers.Server echo;

    @BeforeAll
    static void certificates() throws Exception {
        pki = TestCertificates.create(Files.createDirectories(directory.resolve("pki")));
        echo = new TestServers.Server(ListenerTlsRelayTest::echo);
    }

    @AfterAll
    static void stopEcho() throws IOException {
        echo.close();
    }

    private static void echo(Socket socket) {
        try (socket) {
            socket.getInputStream().transferTo(socket.getOutputStream());
            socket.shutdownOutput();
        } catch (IOException gone) {
            // the test saw what it needed
        }
    }

    private static RelayServer relay(ServerTls tls, java.net.InetSocketAddress backend) throws IOException {
        RelaySettings settings = RelaySettings.defaults(List.of(0)).withBindAddress(InetAddress.getLoopbackAddress())
                .withLoops(2).withBalance(BalancePolicy.ROUND_ROBIN).withTls(new TlsHops(Optional.of(tls), Optional.empty()));
        return RelayServer.start(FixedBackend.of(backend), settings, Optional.empty(), new RefusalLog());
    }

    @Test
    void sixtyFourMebibytesEachWayFromAClientWithTheRequiredCertificate() throws Exception {
        try (ServerTls tls = ServerTls.of(pki.serverCert(), pki.serverKey(), Optional.of(pki.ca()), Duration.ofSeconds(5))) {
            RelayServer relay = relay(tls, echo.address());
            try (Stunnel client = Stunnel.client(directory, relay.listenAddresses().get(0), pki.ca(), "localhost",
                    pki.clientCert(), pki.clientKey());
                 Socket plain = new Socket()) {
                plain.connect(client.address(), 2000);
                plain.setSoTimeout(30_000);
                long size = 64L << 20;
                Future<String> sent = CompletableFuture.supplyAsync(() -> {
                    try {
                        String digest = TestServers.sendRandom(plain.getOutputStream(), 42, size);
                        plain.shutdownOutput();
                        return digest;
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                TestServers.Received back = TestServers.receiveAll(plain.getInputStream());
                assertEquals(size, back.bytes());
                assertEquals(sent.get(), back.sha256());
            } finally {
                relay.close();
            }
        }
    }

    @Test
    void aClientWithoutTheRequiredCertificateNeverReachesTheBackend() throws Exception {
        try (TestServers.Server backend = new TestServers.Server(ListenerTlsRelayTest::hello);
             ServerTls tls = ServerTls.of(pki.serverCert(), pki.serverKey(), Optional.of(pki.ca()), Duration.ofSeconds(5))) {
            RelayServer relay = relay(tls, backend.address());
            try {
                OpenSsl answer = OpenSsl.client(relay.listenAddresses().get(0).getPort(), pki.ca(), null, null);
                assertTrue(!answer.output().contains("hello from the backend"), answer.output());
                Thread.sleep(200);
                assertEquals(0, backend.acceptedCount(), "the relay connected nowhere for a client it refused");
                assertEquals(1, tls.counters().failedCount(TlsFailureReason.NO_CLIENT_CERTIFICATE));
                OpenSsl withCertificate = OpenSsl.client(relay.listenAddresses().get(0).getPort(), pki.ca(),
                        pki.clientCert(), pki.clientKey());
                assertTrue(withCertificate.output().contains("hello from the backend"), withCertificate.output());
            } finally {
                relay.close();
            }
        }
    }

    @Test
    void theVerifiedClientIsInTheAccessLogStatusAndTheProxyV2SslTlvs() throws Exception {
        RecordingAccessLog accessLog = new RecordingAccessLog();
        try (TestServers.Server backend = new TestServers.Server(ListenerTlsRelayTest::tellProxyTlvs);
             ServerTls tls = ServerTls.of(pki.serverCert(), pki.serverKey(), Optional.of(pki.ca()), Duration.ofSeconds(5))) {
            RelaySettings settings = RelaySettings.defaults(List.of(0)).withBindAddress(InetAddress.getLoopbackAddress())
                    .withLoops(1).withProxyProtocol(ProxyProtocol.V2).withTls(new TlsHops(Optional.of(tls), Optional.empty()));
            RelayServer relay = RelayServer.start(FixedBackend.of(backend.address()), settings, Optional.empty(),
                    new RelayObservers(new RefusalLog(), accessLog, reason -> { }));
            try {
                OpenSsl answer = OpenSsl.client(relay.listenAddresses().get(0).getPort(), pki.ca(), pki.clientCert(),
                        pki.clientKey());
                assertTrue(answer.output().contains("ssl client=7 verify=0 version=TLSv1.3 cn=ambassadord cipher=TLS_"),
                        "the backend read HAProxy's SSL TLVs: " + answer.output());
            } finally {
                relay.close();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (accessLog.records().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(accessLog.records().get(0).tlsClient().startsWith("CN=ambassadord"), accessLog.records().toString());
            assertEquals(1, tls.clients().recent().size());
            assertTrue(tls.clients().recent().get(0).identity().startsWith("CN=ambassadord"));
        }
    }

    /** Reads a PROXY v2 header and answers with what its SSL TLV says. */
    private static void tellProxyTlvs(Socket socket) {
        try (socket) {
            java.io.DataInputStream in = new java.io.DataInputStream(socket.getInputStream());
            byte[] fixed = new byte[16];
            in.readFully(fixed);
            byte[] rest = new byte[((fixed[14] & 0xff) << 8) | (fixed[15] & 0xff)];
            in.readFully(rest);
            java.nio.ByteBuffer tlvs = java.nio.ByteBuffer.wrap(rest, 12, rest.length - 12);
            StringBuilder said = new StringBuilder();
            while (tlvs.remaining() >= 3) {
                int type = tlvs.get() & 0xff;
                int length = tlvs.getShort() & 0xffff;
                java.nio.ByteBuffer value = tlvs.slice(tlvs.position(), length);
                tlvs.position(tlvs.position() + length);
                if (type != 0x20) {
                    continue;
                }
                said.append("ssl client=").append(value.get()).append(" verify=").append(value.getInt());
                while (value.remaining() >= 3) {
                    int sub = value.get() & 0xff;
                    byte[] text = new byte[value.getShort() & 0xffff];
                    value.get(text);
                    String name = switch (sub) {
                        case 0x21 -> "version";
                        case 0x22 -> "cn";
                        case 0x23 -> "cipher";
                        case 0x24 -> "sig_alg";
                        case 0x25 -> "key_alg";
                        default -> "type" + sub;
                    };
                    said.append(' ').append(name).append('=').append(new String(text, StandardCharsets.UTF_8));
                }
            }
            socket.getOutputStream().write((said + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // the assertion on what the client saw tells
        }
    }

    @Test
    void aSilentClientTimesOutAndAPlaintextOneIsAProtocolFailure() throws Exception {
        try (TestServers.Server backend = new TestServers.Server(ListenerTlsRelayTest::hello);
             ServerTls tls = ServerTls.of(pki.serverCert(), pki.serverKey(), Optional.empty(), Duration.ofMillis(300))) {
            RelayServer relay = relay(tls, backend.address());
            try (Socket silent = new Socket(); Socket plaintext = new Socket()) {
                silent.connect(relay.listenAddresses().get(0), 2000);
                silent.setSoTimeout(5000);
                assertEquals(-1, silent.getInputStream().read(), "closed once the handshake timed out");
                plaintext.connect(relay.listenAddresses().get(0), 2000);
                plaintext.setSoTimeout(5000);
                plaintext.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                byte[] answer = plaintext.getInputStream().readAllBytes();
                assertTrue(new String(answer, StandardCharsets.ISO_8859_1).indexOf("hello") < 0, "no backend bytes for plaintext");
                String counts = java.util.Arrays.stream(TlsFailureReason.values())
                        .map(reason -> reason.label() + "=" + tls.counters().failedCount(reason)).toList().toString();
                assertEquals(1, tls.counters().failedCount(TlsFailureReason.TIMEOUT), counts);
                assertEquals(1, tls.counters().failedCount(TlsFailureReason.PROTOCOL), counts);
                assertEquals(0, backend.acceptedCount());
            } finally {
                relay.close();
            }
        }
    }

    @Test
    void keysInPkcs1AndSec1FormServe() throws Exception {
        Path caKey = pki.ca().resolveSibling("ca-key.pem");
        for (String[] form : new String[][] {{"rsa", "genrsa", "-traditional", "2048"}, {"ec", "ecparam", "-name", "prime256v1"}}) {
            Path key = directory.resolve(form[0] + "-key.pem");
            if (form[0].equals("rsa")) {
                OpenSsl.run("genrsa", "-traditional", "-out", key.toString(), "2048");
                assertTrue(Files.readString(key).startsWith("-----BEGIN RSA PRIVATE KEY-----"));
            } else {
                OpenSsl.run("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key.toString());
                assertTrue(Files.readString(key).startsWith("-----BEGIN EC PRIVATE KEY-----"));
            }
            Path cert = OpenSsl.signed(directory, key, "/CN=" + form[0] + " listener", pki.ca(), caKey);
            try (TestServers.Server backend = new TestServers.Server(ListenerTlsRelayTest::hello);
                 ServerTls tls = ServerTls.of(cert, key, Optional.empty(), Duration.ofSeconds(5))) {
                RelayServer relay = relay(tls, backend.address());
                try {
                    OpenSsl answer = OpenSsl.client(relay.listenAddresses().get(0).getPort(), pki.ca(), null, null);
                    assertTrue(answer.output().contains("hello from the backend"), form[0] + ": " + answer.output());
                    String subject = OpenSsl.subjectOf(relay.listenAddresses().get(0).getPort(), pki.ca());
                    assertTrue(subject.contains(form[0] + " listener"), subject);
                } finally {
                    relay.close();
                }
            }
        }
    }

    @Test
    void aNewCertificateServesWithinTwoSecondsAndTwoHundredOpenConnectionsCarryOn() throws Exception {
        Path live = Files.createDirectories(directory.resolve("live"));
        Path cert = live.resolve("tls.crt");
        Path key = live.resolve("tls.key");
        Files.copy(pki.serverCert(), cert, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(pki.serverKey(), key, StandardCopyOption.REPLACE_EXISTING);
        Path caKey = pki.ca().resolveSibling("ca-key.pem");
        Path nextKey = directory.resolve("next-key.pem");
        OpenSsl.run("genrsa", "-out", nextKey.toString(), "2048");
        Path nextCert = OpenSsl.signed(directory, nextKey, "/CN=localhost renewed", pki.ca(), caKey);
        try (ServerTls tls = ServerTls.of(cert, key, Optional.empty(), Duration.ofSeconds(5));
             TlsFileWatcher watcher = TlsFileWatcher.start(tls.reloadable())) {
            RelayServer relay = relay(tls, echo.address());
            List<SSLSocket> open = new ArrayList<>();
            try {
                SSLContext trusting = trusting(pki.ca());
                for (int i = 0; i < 200; i++) {
                    SSLSocket socket = (SSLSocket) trusting.getSocketFactory().createSocket(
                            relay.listenAddresses().get(0).getAddress(), relay.listenAddresses().get(0).getPort());
                    socket.setSoTimeout(10_000);
                    socket.getOutputStream().write('a');
                    socket.getOutputStream().flush();
                    assertEquals('a', socket.getInputStream().read());
                    open.add(socket);
                }
                // As a careless renewal would: the certificate first, its key a moment later.
                Files.move(Files.copy(nextCert, live.resolve(".tls.crt.new")), cert, StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
                Thread.sleep(300);
                Files.move(Files.copy(nextKey, live.resolve(".tls.key.new")), key, StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
                long swapped = System.nanoTime();
                String subject = "";
                while (System.nanoTime() - swapped < TimeUnit.SECONDS.toNanos(2) && !subject.contains("renewed")) {
                    subject = OpenSsl.subjectOf(relay.listenAddresses().get(0).getPort(), pki.ca());
                }
                assertTrue(subject.contains("renewed"), "the renewed certificate serves within 2 s: " + subject);
                assertEquals(1, watcher.reloads());
                assertEquals(0, watcher.failures(), "the key that came 300 ms after its certificate was waited for");
                for (SSLSocket socket : open) {
                    OutputStream out = socket.getOutputStream();
                    InputStream in = socket.getInputStream();
                    out.write('b');
                    out.flush();
                    assertEquals('b', in.read(), "a connection opened before the reload carries on");
                }
            } finally {
                for (SSLSocket socket : open) {
                    socket.close();
                }
                relay.close();
            }
        }
    }

    private static void hello(Socket socket) {
        try (socket) {
            socket.getOutputStream().write("hello from the backend\n".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException gone) {
            // fine
        }
    }

    private static SSLContext trusting(Path ca) throws Exception {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(PemFiles.trustStore("ca", ca));
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    /** {@code openssl} at test time: keys, signed certificates, and {@code s_client} as a real TLS client. */
    record OpenSsl(int exit, String output) {

        /** s_client to 127.0.0.1:port, verifying against {@code ca}; stdin closed; what it printed. */
        static OpenSsl client(int port, Path ca, Path cert, Path key) throws IOException, InterruptedException {
            List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                    "-CAfile", ca.toString(), "-verify_return_error", "-servername", "localhost", "-quiet"));
            if (cert != null) {
                command.addAll(List.of("-cert", cert.toString(), "-key", key.toString()));
            }
            return finished(new ProcessBuilder(command), port, ca);
        }

        /** The subject of the certificate the listener serves now. */
        static String subjectOf(int port, Path ca) throws IOException, InterruptedException {
            return finished(new ProcessBuilder("sh", "-c", "openssl s_client -connect 127.0.0.1:" + port + " -CAfile " + ca
                    + " -servername localhost </dev/null 2>/dev/null | openssl x509 -noout -subject"), -1, ca).output();
        }

        /** Runs to its end (at most 20 s), stdin closed. */
        private static OpenSsl finished(ProcessBuilder builder, int port, Path ca) throws IOException, InterruptedException {
            Path output = Files.createTempFile("openssl", ".out");
            try {
                Process process = start(builder.redirectErrorStream(true).redirectOutput(output.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))));
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
                String printed = Files.readString(output);
                return new OpenSsl(process.exitValue(), printed);
            } finally {
                Files.deleteIfExists(output);
            }
        }

        static void run(String... arguments) throws IOException, InterruptedException {
            TestCertificates.openssl(directory, arguments);
        }

        static Path signed(Path directory, Path key, String subject, Path ca, Path caKey) throws IOException, InterruptedException {
            String name = key.getFileName().toString().replace("-key.pem", "");
            Path request = directory.resolve(name + ".csr");
            Path cert = directory.resolve(name + ".pem");
            Path extensions = directory.resolve(name + ".ext");
            Files.writeString(extensions, "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
            run("req", "-new", "-key", key.toString(), "-subj", subject, "-out", request.toString());
            run("x509", "-req", "-in", request.toString(), "-CA", ca.toString(), "-CAkey", caKey.toString(),
                    "-CAcreateserial", "-days", "2", "-extfile", extensions.toString(), "-out", cert.toString());
            return cert;
        }

        private static Process start(ProcessBuilder builder) throws IOException {
            try {
                return builder.start();
            } catch (IOException e) {
                throw new AssertionError("cannot run openssl (install Debian package openssl): " + e.getMessage());
            }
        }
    }
}
