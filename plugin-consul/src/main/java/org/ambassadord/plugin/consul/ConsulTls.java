package org.ambassadord.plugin.consul;

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
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.ambassadord.spi.BackendSpecException;

/**
 * HTTPS to Consul agents, configured as Consul's own CLI is: {@code CONSUL_HTTP_SSL=true}
 * turns it on, {@code CONSUL_CACERT} names the CA certificate (PEM) that signed the agents'
 * certificates (else the JDK's trusted CAs), {@code CONSUL_CLIENT_CERT} and
 * {@code CONSUL_CLIENT_KEY} a client certificate and its unencrypted PKCS#8 key (PEM) for
 * agents that verify incoming HTTPS. The client certificate is a credential: like the ACL
 * token it goes only to hosts the operator allows ({@code --credential-hosts}).
 *
 * @param context  the TLS context of the agents' HTTP clients
 * @param identity what this TLS set-up presents, for client sharing and logs
 */
record ConsulTls(SSLContext context, String identity) {

    static final String SSL_VARIABLE = "CONSUL_HTTP_SSL";
    static final String CA_VARIABLE = "CONSUL_CACERT";
    static final String CERT_VARIABLE = "CONSUL_CLIENT_CERT";
    static final String KEY_VARIABLE = "CONSUL_CLIENT_KEY";

    /**
     * The TLS set-up the environment asks for, if any.
     *
     * @param withClientCertificate false for agents that are not credential hosts
     * @throws BackendSpecException when a named file cannot be read or is not PEM of its kind
     */
    static Optional<ConsulTls> fromEnvironment(Map<String, String> environment, boolean withClientCertificate)
            throws BackendSpecException {
        String ssl = environment.getOrDefault(SSL_VARIABLE, "").strip().toLowerCase(Locale.ROOT);
        if (!ssl.equals("true") && !ssl.equals("1")) {
            return Optional.empty();
        }
        Optional<Path> ca = path(environment, CA_VARIABLE);
        Optional<Path> cert = withClientCertificate ? path(environment, CERT_VARIABLE) : Optional.empty();
        Optional<Path> key = withClientCertificate ? path(environment, KEY_VARIABLE) : Optional.empty();
        if (cert.isPresent() != key.isPresent()) {
            throw new BackendSpecException(CERT_VARIABLE + " and " + KEY_VARIABLE + " go together: set both or neither");
        }
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (ca.isPresent()) {
                KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
                anchors.load(null, null);
                int n = 0;
                for (Certificate certificate : certificates(ca.get(), CA_VARIABLE)) {
                    anchors.setCertificateEntry("ca-" + n++, certificate);
                }
                trust.init(anchors);
            } else {
                trust.init((KeyStore) null);
            }
            KeyManagerFactory keys = null;
            if (cert.isPresent()) {
                KeyStore identity = KeyStore.getInstance(KeyStore.getDefaultType());
                identity.load(null, null);
                identity.setKeyEntry("client", privateKey(key.get()), new char[0],
                        certificates(cert.get(), CERT_VARIABLE).toArray(Certificate[]::new));
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(identity, new char[0]);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
            return Optional.of(new ConsulTls(context, "https; CA " + ca.map(Path::toString).orElse("(JDK's)")
                    + cert.map(path -> "; client certificate " + path).orElse("")));
        } catch (GeneralSecurityException | IOException e) {
            throw new BackendSpecException("Consul TLS: " + e.getMessage());
        }
    }

    private static Optional<Path> path(Map<String, String> environment, String variable) throws BackendSpecException {
        String value = environment.getOrDefault(variable, "").strip();
        if (value.isEmpty()) {
            return Optional.empty();
        }
        Path path = Path.of(value);
        if (!Files.isReadable(path)) {
            throw new BackendSpecException(variable + " [" + value + "] is not a readable file");
        }
        return Optional.of(path);
    }

    private static Collection<? extends Certificate> certificates(Path file, String variable)
            throws IOException, GeneralSecurityException, BackendSpecException {
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new BackendSpecException(variable + " [" + file + "] holds no PEM certificate");
            }
            return certificates;
        }
    }

    /** An unencrypted PKCS#8 key ({@code BEGIN PRIVATE KEY}), RSA or EC, as openssl 3 writes them. */
    private static PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException, BackendSpecException {
        String pem = Files.readString(file);
        int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = pem.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            throw new BackendSpecException(KEY_VARIABLE + " [" + file + "] is not an unencrypted PKCS#8 PEM key"
                    + " (BEGIN PRIVATE KEY); convert it with: openssl pkcs8 -topk8 -nocrypt");
        }
        byte[] der = Base64.getMimeDecoder().decode(pem.substring(begin + 27, end));
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(spec);
        } catch (GeneralSecurityException notRsa) {
            return KeyFactory.getInstance("EC").generatePrivate(spec);
        }
    }
}
