package org.ambassadord.plugin.omni;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import com.github.dockerjava.core.SSLConfig;
import org.ambassadord.spi.BackendSpecException;

/**
 * TLS to a remote Docker engine as the docker CLI sets it up with {@code DOCKER_TLS_VERIFY}:
 * the engine must present a certificate signed by {@code ca.pem}, and we present
 * {@code cert.pem} with {@code key.pem}, all in {@code DOCKER_CERT_PATH} (default
 * {@code ~/.docker}). Read with the JDK alone, instead of docker-java's own reader, which
 * needs BouncyCastle (10 MB of the image) only to parse PEM keys: the key must be unencrypted
 * PKCS#8 ({@code BEGIN PRIVATE KEY}, what openssl 3 writes); a PKCS#1 key ({@code BEGIN RSA
 * PRIVATE KEY}) is refused with the command that converts it. Read when the spec opens, so a
 * mistake is a one-line error at start, not a failure on the first connection.
 */
final class DockerTls implements SSLConfig {

    private final SSLContext context;

    private DockerTls(SSLContext context) {
        this.context = context;
    }

    @Override
    public SSLContext getSSLContext() {
        return context;
    }

    /** @param certPath {@code DOCKER_CERT_PATH}, or null for {@code ~/.docker} */
    static DockerTls load(String certPath) throws BackendSpecException {
        Path directory = certPath != null ? Path.of(certPath) : Path.of(System.getProperty("user.home"), ".docker");
        Path ca = readable(directory, "ca.pem");
        Path cert = readable(directory, "cert.pem");
        Path key = readable(directory, "key.pem");
        try {
            KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
            anchors.load(null, null);
            int n = 0;
            for (Certificate certificate : certificates(ca)) {
                anchors.setCertificateEntry("ca-" + n++, certificate);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(anchors);
            KeyStore identity = KeyStore.getInstance(KeyStore.getDefaultType());
            identity.load(null, null);
            identity.setKeyEntry("client", privateKey(key), new char[0], certificates(cert).toArray(Certificate[]::new));
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(identity, new char[0]);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
            return new DockerTls(context);
        } catch (GeneralSecurityException | IOException e) {
            throw new BackendSpecException("Docker TLS (DOCKER_CERT_PATH [" + directory + "]): " + e.getMessage());
        }
    }

    private static Path readable(Path directory, String name) throws BackendSpecException {
        Path file = directory.resolve(name);
        if (!Files.isReadable(file)) {
            throw new BackendSpecException("DOCKER_TLS_VERIFY is set but [" + file + "] is not a readable file"
                    + " (DOCKER_CERT_PATH must hold ca.pem, cert.pem and key.pem)");
        }
        return file;
    }

    private static Collection<? extends Certificate> certificates(Path file)
            throws IOException, GeneralSecurityException, BackendSpecException {
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> found = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (found.isEmpty()) {
                throw new BackendSpecException("[" + file + "] holds no PEM certificate");
            }
            return found;
        }
    }

    private static PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException, BackendSpecException {
        String pem = Files.readString(file);
        String begin = "-----BEGIN PRIVATE KEY-----";
        int start = pem.indexOf(begin);
        int end = pem.indexOf("-----END PRIVATE KEY-----");
        if (start < 0 || end < start) {
            throw new BackendSpecException("[" + file + "] is not an unencrypted PKCS#8 key (BEGIN PRIVATE KEY);"
                    + " convert it with: openssl pkcs8 -topk8 -nocrypt -in key.pem -out key.pem.pkcs8");
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(
                Base64.getMimeDecoder().decode(pem.substring(start + begin.length(), end)));
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException notThisOne) {
                // the next algorithm
            }
        }
        throw new BackendSpecException("[" + file + "] is not an RSA, EC or Ed25519 key");
    }
}
