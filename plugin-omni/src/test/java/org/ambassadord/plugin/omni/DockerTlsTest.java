package org.ambassadord.plugin.omni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import com.github.dockerjava.api.DockerClient;
import org.ambassadord.spi.BackendSpecException;
import org.ambassadord.spi.testkit.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS to a remote engine ({@code DOCKER_TLS_VERIFY}, {@code DOCKER_CERT_PATH}) without
 * BouncyCastle: docker-java's client, with {@link DockerTls}, pings an HTTPS endpoint that
 * demands a client certificate, as a dockerd started with {@code --tlsverify} does. The PKI is
 * made by openssl ({@link TestCertificates}).
 */
class DockerTlsTest {

    @TempDir
    Path directory;

    @Test
    void pingsAnEngineThatDemandsOurClientCertificate() throws Exception {
        TestCertificates pki = TestCertificates.create(directory);
        Path certPath = dockerCertPath(pki, pki.ca(), pki.clientKey());
        try (SSLServerSocket server = engine(pki)) {
            CompletableFuture<String> clientSubject = serveOnePing(server);
            DockerClient docker = DockerClients.create(spec(server, certPath));
            docker.pingCmd().exec();
            assertEquals("CN=ambassadord", clientSubject.get(10, TimeUnit.SECONDS), "we presented cert.pem");
        }
    }

    @Test
    void anEngineOutsideTheCaIsNotTrusted() throws Exception {
        TestCertificates pki = TestCertificates.create(directory);
        TestCertificates other = TestCertificates.create(Files.createDirectory(directory.resolve("other")));
        Path certPath = dockerCertPath(pki, other.ca(), pki.clientKey());
        try (SSLServerSocket server = engine(pki)) {
            serveOnePing(server);
            DockerClient docker = DockerClients.create(spec(server, certPath));
            RuntimeException refused = assertThrows(RuntimeException.class, () -> docker.pingCmd().exec());
            assertTrue(String.valueOf(refused).contains("PKIX") || String.valueOf(refused.getCause()).contains("PKIX"),
                    "refused for the certificate path: " + refused);
        }
    }

    @Test
    void aPkcs1KeyIsRefusedWithTheCommandThatConvertsIt() throws Exception {
        TestCertificates pki = TestCertificates.create(directory);
        Path pkcs1 = directory.resolve("rsa-key.pem");
        Process process = new ProcessBuilder("openssl", "rsa", "-in", pki.clientKey().toString(), "-traditional",
                "-out", pkcs1.toString()).redirectErrorStream(true).start();
        assertEquals(0, process.waitFor(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        assertTrue(Files.readString(pkcs1).contains("BEGIN RSA PRIVATE KEY"));
        Path certPath = dockerCertPath(pki, pki.ca(), pkcs1);
        BackendSpecException error = assertThrows(BackendSpecException.class,
                () -> DockerClients.create(new OmniSpec(URI.create("tcp://127.0.0.1:2376"), true, certPath.toString())));
        assertTrue(error.getMessage().contains("openssl pkcs8 -topk8 -nocrypt"), error.getMessage());
    }

    @Test
    void aMissingFileIsNamed() {
        BackendSpecException error = assertThrows(BackendSpecException.class,
                () -> DockerClients.create(new OmniSpec(URI.create("tcp://127.0.0.1:2376"), true, directory.toString())));
        assertTrue(error.getMessage().contains(directory.resolve("ca.pem").toString()), error.getMessage());
    }

    private Path dockerCertPath(TestCertificates pki, Path ca, Path key) throws IOException {
        Path certPath = Files.createDirectories(directory.resolve("docker-" + System.nanoTime()));
        Files.copy(ca, certPath.resolve("ca.pem"));
        Files.copy(pki.clientCert(), certPath.resolve("cert.pem"));
        Files.copy(key, certPath.resolve("key.pem"));
        return certPath;
    }

    private static OmniSpec spec(SSLServerSocket server, Path certPath) {
        return new OmniSpec(URI.create("tcp://127.0.0.1:" + server.getLocalPort()), true, certPath.toString());
    }

    /** A TLS listener with the server certificate, trusting the test CA for client certificates. */
    private static SSLServerSocket engine(TestCertificates pki) throws Exception {
        CertificateFactory x509 = CertificateFactory.getInstance("X.509");
        KeyStore identity = KeyStore.getInstance(KeyStore.getDefaultType());
        identity.load(null, null);
        String pem = Files.readString(pki.serverKey());
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        Certificate serverCert;
        try (InputStream in = Files.newInputStream(pki.serverCert())) {
            serverCert = x509.generateCertificate(in);
        }
        identity.setKeyEntry("server", KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der)),
                new char[0], new Certificate[] {serverCert});
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(identity, new char[0]);
        KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
        anchors.load(null, null);
        try (InputStream in = Files.newInputStream(pki.ca())) {
            anchors.setCertificateEntry("ca", x509.generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(anchors);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
        SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory()
                .createServerSocket(0, 8, InetAddress.getLoopbackAddress());
        server.setNeedClientAuth(true);
        return server;
    }

    /** Answers one {@code GET /_ping} as an engine does; completes with the client's subject. */
    private static CompletableFuture<String> serveOnePing(SSLServerSocket server) {
        CompletableFuture<String> subject = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try (SSLSocket socket = (SSLSocket) server.accept()) {
                socket.startHandshake();
                X509Certificate client = (X509Certificate) socket.getSession().getPeerCertificates()[0];
                InputStream in = socket.getInputStream();
                StringBuilder request = new StringBuilder();
                while (!request.toString().endsWith("\r\n\r\n")) {
                    int b = in.read();
                    if (b < 0) {
                        break;
                    }
                    request.append((char) b);
                }
                OutputStream out = socket.getOutputStream();
                out.write(("HTTP/1.1 200 OK\r\nApi-Version: 1.51\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n"
                        + "Connection: close\r\n\r\nOK").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                subject.complete(request.toString().startsWith("GET /_ping") ? client.getSubjectX500Principal().getName()
                        : "unexpected request " + request);
            } catch (IOException e) {
                subject.completeExceptionally(e);
            }
        }, "tls-engine");
        thread.setDaemon(true);
        thread.start();
        return subject;
    }
}
