package org.ambassadord.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Writer;
import java.math.BigInteger;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.ambassadord.core.tls.PemFiles;
import org.ambassadord.spi.testkit.TestCertificates;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS through the shipped image (issue 24): mistakes in the TLS options are one line and exit 2;
 * {@code --check} does the handshake and shows the server's certificate; both hops at once —
 * a JDK client over TLS to the ambassador, the ambassador over TLS to {@code openssl s_server}
 * — carry bytes, and {@code /metrics} counts the handshakes and shows the certificates' expiry.
 */
class TlsIT {

    @TempDir
    static Path directory;
    private static TestCertificates pki;
    private static TestCertificates stranger;
    private static Path expiredCert;
    private static Path expiredKey;

    @BeforeAll
    static void certificates() throws Exception {
        pki = TestCertificates.create(Files.createDirectories(directory.resolve("pki")));
        stranger = TestCertificates.create(Files.createDirectories(directory.resolve("stranger")));
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        KeyPair pair = generator.generateKeyPair();
        Instant now = Instant.now();
        X500Name name = new X500Name("CN=expired");
        var certificate = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name,
                BigInteger.ONE, Date.from(now.minus(3, ChronoUnit.DAYS)), Date.from(now.minus(1, ChronoUnit.DAYS)), name,
                pair.getPublic()).build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
        expiredCert = directory.resolve("expired.pem");
        expiredKey = directory.resolve("expired-key.pem");
        try (Writer out = Files.newBufferedWriter(expiredCert); JcaPEMWriter pem = new JcaPEMWriter(out)) {
            pem.writeObject(certificate);
        }
        try (Writer out = Files.newBufferedWriter(expiredKey); JcaPEMWriter pem = new JcaPEMWriter(out)) {
            pem.writeObject(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(pair.getPrivate(), null));
        }
    }

    @Test
    void mistakesInTheTlsOptionsAreOneLineAndExitTwo() throws Exception {
        String[][] cases = {
            {"ambassadord: --upstream-ca needs --upstream-tls", "--upstream-ca", pki.ca().toString(), "127.0.0.1:1"},
            {"ambassadord: --tls-client-ca needs --tls-cert and --tls-key", "--tls-client-ca", pki.ca().toString(), "127.0.0.1:1"},
            {"ambassadord: --tls-cert [" + directory.resolve("missing.pem") + "] is not a readable file",
                "--tls-cert", directory.resolve("missing.pem").toString(), "--tls-key", pki.serverKey().toString(), "127.0.0.1:1"},
            {"ambassadord: --tls-key [" + stranger.serverKey() + "] is not the key of --tls-cert [" + pki.serverCert()
                    + "] (CN=localhost)",
                "--tls-cert", pki.serverCert().toString(), "--tls-key", stranger.serverKey().toString(), "127.0.0.1:1"},
            {"ambassadord: --tls-cert [" + expiredCert + "] expired on ",
                "--tls-cert", expiredCert.toString(), "--tls-key", expiredKey.toString(), "127.0.0.1:1"},
            {"ambassadord: --upstream-key [" + pki.ca() + "] holds no unencrypted PEM private key (PKCS#8, PKCS#1 RSA or SEC1 EC)",
                "--upstream-tls", "--upstream-cert", pki.clientCert().toString(), "--upstream-key", pki.ca().toString(),
                "127.0.0.1:1"},
        };
        for (String[] one : cases) {
            String[] args = java.util.Arrays.copyOfRange(one, 1, one.length);
            ImageProcess.Result result = ImageProcess.run(args);
            assertEquals(2, result.status(), String.join(" ", args) + ": " + result.err());
            assertEquals(1, result.err().strip().lines().count(), result.err());
            assertTrue(result.err().strip().startsWith(one[0]), "expected [" + one[0] + "], got [" + result.err().strip() + "]");
        }
    }

    @Test
    void checkDoesTheHandshakeAndShowsTheCertificate() throws Exception {
        int port = ImageProcess.freePort();
        Process server = sServer(port);
        try {
            ImageProcess.Result trusted = ImageProcess.run("--check", "--upstream-tls", "--upstream-ca", pki.ca().toString(),
                    "127.0.0.1:" + port);
            assertEquals(0, trusted.status(), trusted.out() + trusted.err());
            assertTrue(trusted.out().contains("TLS ok (TLSv1.3): subject CN=localhost, issuer CN=ambassadord test CA, expires "),
                    trusted.out());
            ImageProcess.Result untrusted = ImageProcess.run("--check", "--upstream-tls", "--upstream-ca",
                    stranger.ca().toString(), "127.0.0.1:" + port);
            assertEquals(1, untrusted.status(), untrusted.out() + untrusted.err());
            assertTrue(untrusted.out().contains("connects, but TLS fails (unknown_ca)"), untrusted.out());
        } finally {
            server.destroyForcibly().waitFor();
        }
    }

    @Test
    void bothHopsCarryBytesAndMetricsCountTheHandshakes() throws Exception {
        int[] ports = org.ambassadord.spi.testkit.FreePorts.distinct(3);
        Process server = sServer(ports[0]);
        try (ImageProcess image = ImageProcess.start(Map.of(), "--port", String.valueOf(ports[1]), "--admin",
                String.valueOf(ports[2]), "--tls-cert", pki.serverCert().toString(), "--tls-key", pki.serverKey().toString(),
                "--upstream-tls", "--upstream-ca", pki.ca().toString(), "127.0.0.1:" + ports[0])) {
            image.awaitListening(ports[1]);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(PemFiles.trustStore("ca", pki.ca()));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            try (SSLSocket client = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", ports[1])) {
                client.setSoTimeout(10_000);
                client.getOutputStream().write("hello over two hops\n".getBytes(StandardCharsets.US_ASCII));
                client.getOutputStream().flush();
                String line = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII))
                        .readLine();
                assertEquals("spoh owt revo olleh", line, "s_server -rev reversed the line that crossed both hops");
            }
            String metrics = AdminClient.get("http://127.0.0.1:" + ports[2] + "/metrics");
            assertTrue(metrics.contains("ambassadord_tls_handshakes_total{hop=\"listener\",result=\"ok\"} 1.0"), metrics);
            assertTrue(metrics.contains("ambassadord_tls_handshakes_total{hop=\"upstream\",result=\"ok\"} 1.0"), metrics);
            assertTrue(metrics.contains("ambassadord_tls_certificate_expiry_seconds{option=\"--tls-cert\"}"), metrics);
            assertTrue(metrics.contains("ambassadord_tls_certificate_expiry_seconds{option=\"--upstream-ca\"}"), metrics);
            String status = AdminClient.get("http://127.0.0.1:" + ports[2] + "/status");
            assertTrue(status.contains("\"tls\""), status);
        } finally {
            server.destroyForcibly().waitFor();
        }
    }

    /** {@code openssl s_server -rev} with the test PKI's server certificate; stdin kept open. */
    private static Process sServer(int port) throws Exception {
        Process server;
        try {
            server = new ProcessBuilder("openssl", "s_server", "-accept", "127.0.0.1:" + port, "-cert",
                    pki.serverCert().toString(), "-key", pki.serverKey().toString(), "-rev", "-quiet")
                    .redirectErrorStream(true).redirectOutput(directory.resolve("s_server-" + port + ".log").toFile()).start();
        } catch (java.io.IOException e) {
            throw new AssertionError("cannot run openssl (install Debian package openssl): " + e.getMessage());
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Socket probe = new Socket("127.0.0.1", port)) {
                return server;
            } catch (java.io.IOException notYet) {
                Thread.sleep(50);
            }
        }
        server.destroyForcibly();
        throw new AssertionError("openssl s_server did not listen on " + port);
    }
}
