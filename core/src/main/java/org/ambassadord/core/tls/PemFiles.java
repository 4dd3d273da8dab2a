package org.ambassadord.core.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Reads the PEM files an operator names: certificate chains and bundles with the JDK, private
 * keys with BouncyCastle's PEM reader, which knows every unencrypted form in use (PKCS#8
 * {@code BEGIN PRIVATE KEY}, what openssl 3 writes; PKCS#1 {@code BEGIN RSA PRIVATE KEY} and
 * SEC1 {@code BEGIN EC PRIVATE KEY}, what cert-manager and certbot write by default). Every
 * problem is a {@link TlsFileException} whose message names the option and the file.
 */
public final class PemFiles {

    /** Files larger than this are no certificate or key anyone means to hand over. */
    private static final long MAX_FILE_BYTES = 1 << 20;

    private PemFiles() {
    }

    /** The certificates of a PEM file, in order (a leaf first, for a chain); at least one. */
    public static List<X509Certificate> certificates(String option, Path file) {
        checkReadable(option, file);
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> found = new ArrayList<>();
            for (var certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                found.add((X509Certificate) certificate);
            }
            if (found.isEmpty()) {
                throw new TlsFileException(option + " [" + file + "] holds no PEM certificate");
            }
            return List.copyOf(found);
        } catch (IOException | CertificateException e) {
            throw new TlsFileException(option + " [" + file + "] is not a PEM certificate file: " + oneLine(e));
        }
    }

    /** A trust store of every certificate in a PEM bundle. */
    public static KeyStore trustStore(String option, Path bundle) {
        try {
            KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
            anchors.load(null, null);
            int n = 0;
            for (X509Certificate certificate : certificates(option, bundle)) {
                anchors.setCertificateEntry("ca-" + n++, certificate);
            }
            return anchors;
        } catch (IOException | GeneralSecurityException e) {
            throw new TlsFileException(option + " [" + bundle + "]: " + oneLine(e));
        }
    }

    /** The private key of a PEM file: PKCS#8, PKCS#1 RSA or SEC1 EC, unencrypted. */
    public static PrivateKey privateKey(String option, Path file) {
        checkReadable(option, file);
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                if (object instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (object instanceof PEMKeyPair pair) {
                    // PKCS#1 and SEC1: the private part alone, since SEC1 may leave the public key out (RFC 5915).
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
            }
            throw new TlsFileException(option + " [" + file + "] holds no unencrypted PEM private key"
                    + " (PKCS#8, PKCS#1 RSA or SEC1 EC)");
        } catch (IOException | RuntimeException e) {
            if (e instanceof TlsFileException known) {
                throw known;
            }
            throw new TlsFileException(option + " [" + file + "] is not a readable PEM private key: " + oneLine(e));
        }
    }

    /**
     * A certificate chain and its key, checked as a pair: the key signs what the leaf's public
     * key verifies, and the leaf is valid now.
     */
    public static KeyStore identity(String certOption, Path certFile, String keyOption, Path keyFile) {
        List<X509Certificate> chain = certificates(certOption, certFile);
        PrivateKey key = privateKey(keyOption, keyFile);
        X509Certificate leaf = chain.get(0);
        try {
            leaf.checkValidity();
        } catch (CertificateExpiredException e) {
            throw new TlsFileException(certOption + " [" + certFile + "] expired on " + leaf.getNotAfter().toInstant());
        } catch (CertificateNotYetValidException e) {
            throw new TlsFileException(certOption + " [" + certFile + "] is not valid before " + leaf.getNotBefore().toInstant());
        }
        if (!matches(key, leaf.getPublicKey())) {
            throw new TlsFileException(keyOption + " [" + keyFile + "] is not the key of " + certOption + " [" + certFile
                    + "] (" + leaf.getSubjectX500Principal().getName() + ")");
        }
        try {
            KeyStore identity = KeyStore.getInstance(KeyStore.getDefaultType());
            identity.load(null, null);
            identity.setKeyEntry("identity", key, new char[0], chain.toArray(X509Certificate[]::new));
            return identity;
        } catch (IOException | GeneralSecurityException e) {
            throw new TlsFileException(certOption + " [" + certFile + "] with " + keyOption + ": " + oneLine(e));
        }
    }

    /** Whether the key signs what the public key verifies: the one test that holds for every key type. */
    private static boolean matches(PrivateKey key, PublicKey publicKey) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "RSASSA-PSS" -> "RSASSA-PSS";
            default -> key.getAlgorithm(); // Ed25519, Ed448
        };
        try {
            byte[] probe = "ambassadord key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = signature(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = signature(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static Signature signature(String algorithm) throws GeneralSecurityException {
        Signature signature = Signature.getInstance(algorithm);
        if (algorithm.equals("RSASSA-PSS")) {
            signature.setParameter(new java.security.spec.PSSParameterSpec("SHA-256", "MGF1",
                    java.security.spec.MGF1ParameterSpec.SHA256, 32, 1));
        }
        return signature;
    }

    private static void checkReadable(String option, Path file) {
        try {
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                throw new TlsFileException(option + " [" + file + "] is not a readable file");
            }
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new TlsFileException(option + " [" + file + "] is larger than 1 MiB: not a PEM file");
            }
        } catch (IOException e) {
            throw new TlsFileException(option + " [" + file + "] cannot be read: " + oneLine(e));
        }
    }

    private static String oneLine(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.replace('\n', ' ').replace('\r', ' ');
    }
}
