package org.ambassadord.core.tls;

import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.Security;
import java.util.List;
import java.util.Map;

import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The X25519 key exchange of every TLS handshake, from BouncyCastle rather than the JDK.
 *
 * <p>Why: X25519 is the group every current client offers first, and the JDK computes it in
 * generic field arithmetic — about 170 µs for the ephemeral key and as much again for the
 * agreement on this machine, most of a handshake's CPU — where BouncyCastle's keys come from a
 * precomputed table (about 70 and 110 µs through the JCA). The JDK's engine asks for
 * {@code KeyPairGenerator.getInstance("XDH")} and {@code KeyAgreement.getInstance("XDH")}
 * without naming a provider, so a provider ahead of SunEC that offers just those two services
 * (and nothing else: signatures, ciphers and hashes stay the JDK's, with their intrinsics)
 * makes the engine use them. Both are constant-time, and the secret is the same 32 bytes
 * ({@code BouncyCastleX25519Test} checks it against SunEC).
 *
 * <p>{@code -Dambassadord.tls.x25519=jdk} (in {@code JAVA_OPTS}) keeps the JDK's own.
 */
final class BouncyCastleX25519 extends Provider {

    static final String NAME = "ambassadord-X25519";
    private static final List<String> TYPES = List.of("KeyPairGenerator", "KeyAgreement");
    private static final List<String> ALGORITHMS = List.of("XDH", "X25519");

    private BouncyCastleX25519(Provider source) {
        super(NAME, "1", "X25519 key pairs and agreement from BouncyCastle, for TLS handshakes");
        for (String type : TYPES) {
            for (String algorithm : ALGORITHMS) {
                Service service = source.getService(type, algorithm);
                if (service == null) {
                    throw new IllegalStateException("BouncyCastle offers no " + type + "." + algorithm);
                }
                putService(new Delegated(this, service));
            }
        }
    }

    /** Puts the provider first, once per process, unless the operator asked for the JDK's. */
    static synchronized void install() {
        if ("jdk".equals(System.getProperty("ambassadord.tls.x25519")) || Security.getProvider(NAME) != null) {
            return;
        }
        Security.insertProviderAt(new BouncyCastleX25519(new BouncyCastleProvider()), 1);
    }

    /** One of BouncyCastle's services under this provider's name. */
    private static final class Delegated extends Service {

        private final Service source;

        Delegated(Provider owner, Service source) {
            super(owner, source.getType(), source.getAlgorithm(), source.getClassName(), List.of(), Map.of());
            this.source = source;
        }

        @Override
        public Object newInstance(Object parameter) throws NoSuchAlgorithmException {
            return source.newInstance(parameter);
        }

        @Override
        public boolean supportsParameter(Object parameter) {
            return source.supportsParameter(parameter);
        }
    }
}
