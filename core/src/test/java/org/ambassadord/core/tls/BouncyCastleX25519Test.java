package org.ambassadord.core.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.XECPublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPublicKeySpec;

import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BouncyCastleX25519Test {

    @BeforeAll
    static void install() {
        BouncyCastleX25519.install();
    }

    /** What the JDK's TLS engine asks for by name alone now comes from the provider — and only that. */
    @Test
    void servesTheKeyExchangeAndNothingElse() throws Exception {
        assertEquals(BouncyCastleX25519.NAME, KeyPairGenerator.getInstance("XDH").getProvider().getName());
        KeyPairGenerator generator = KeyPairGenerator.getInstance("XDH");
        generator.initialize(NamedParameterSpec.X25519);
        KeyAgreement agreement = KeyAgreement.getInstance("XDH");
        agreement.init(generator.generateKeyPair().getPrivate());
        assertEquals(BouncyCastleX25519.NAME, agreement.getProvider().getName());

        assertEquals("SunEC", Signature.getInstance("SHA256withECDSA").getProvider().getName());
        assertEquals("SunJCE", Cipher.getInstance("AES/GCM/NoPadding").getProvider().getName());
        assertEquals("SunEC", KeyPairGenerator.getInstance("EC").getProvider().getName());
    }

    /**
     * The shared secret is SunEC's, byte for byte and always 32 bytes: a "TlsPremasterSecret"
     * trimmed of leading zeros (as DH's is) would break one handshake in 256 with other peers.
     * 2,000 pairs make a secret with a leading zero byte all but certain (1 - (255/256)^2000).
     */
    @Test
    void agreesWithTheJdkOnEverySecret() throws Exception {
        KeyPairGenerator ours = KeyPairGenerator.getInstance("XDH");
        ours.initialize(NamedParameterSpec.X25519);
        KeyPairGenerator jdk = KeyPairGenerator.getInstance("XDH", "SunEC");
        jdk.initialize(NamedParameterSpec.X25519);
        KeyFactory jdkKeys = KeyFactory.getInstance("XDH", "SunEC");
        int leadingZero = 0;
        for (int i = 0; i < 2_000; i++) {
            KeyPair local = ours.generateKeyPair();
            KeyPair peer = jdk.generateKeyPair();
            // The peer's key as the engine decodes it from a key share: SunEC's key factory.
            byte[] ourSecret = secret(KeyAgreement.getInstance("XDH"), local.getPrivate(), asPeerSends(jdkKeys, peer));
            byte[] jdkSecret = secret(KeyAgreement.getInstance("XDH", "SunEC"), peer.getPrivate(),
                    asPeerSends(jdkKeys, local));
            assertEquals(32, ourSecret.length);
            assertArrayEquals(jdkSecret, ourSecret);
            leadingZero += ourSecret[0] == 0 ? 1 : 0;
        }
        org.junit.jupiter.api.Assertions.assertTrue(leadingZero > 0, "no secret began with a zero byte in 2,000");
    }

    private static PublicKey asPeerSends(KeyFactory keys, KeyPair pair) throws Exception {
        return keys.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, ((XECPublicKey) pair.getPublic()).getU()));
    }

    private static byte[] secret(KeyAgreement agreement, PrivateKey own, PublicKey peer) throws Exception {
        agreement.init(own);
        agreement.doPhase(peer, true);
        return agreement.generateSecret("TlsPremasterSecret").getEncoded();
    }
}
