package org.ambassadord.core.tls;

import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/**
 * What a finished handshake says about the client: the protocol and cipher suite, and — when
 * it presented a certificate, which the listener then verified — its subject, common name and
 * subject alternative names. For the access log, {@code /status} and PROXY v2's SSL TLVs. The
 * texts come from a certificate a client chose: they are capped here and escaped where written.
 */
public record TlsPeer(String protocol, String cipherSuite, Optional<String> subject, Optional<String> commonName,
                     List<String> alternativeNames, String signatureAlgorithm, String keyAlgorithm) {

    /** Longest subject or name kept: a certificate may carry far longer ones. */
    static final int MAX_TEXT = 256;
    static final int MAX_NAMES = 16;

    public static TlsPeer of(SSLSession session) {
        X509Certificate leaf = null;
        try {
            Certificate[] chain = session.getPeerCertificates();
            if (chain.length > 0 && chain[0] instanceof X509Certificate certificate) {
                leaf = certificate;
            }
        } catch (SSLPeerUnverifiedException noCertificate) {
            // a client without a certificate, where none is required
        }
        if (leaf == null) {
            return new TlsPeer(session.getProtocol(), session.getCipherSuite(), Optional.empty(), Optional.empty(), List.of(),
                    "", "");
        }
        String subject = leaf.getSubjectX500Principal().getName();
        return new TlsPeer(session.getProtocol(), session.getCipherSuite(), Optional.of(cap(subject)), commonName(leaf),
                alternativeNames(leaf), cap(leaf.getSigAlgName()), cap(leaf.getPublicKey().getAlgorithm()));
    }

    /** {@code subject; SAN [..]} of a verified client certificate, or empty without one. */
    public String identity() {
        return subject.map(s -> alternativeNames.isEmpty() ? s : s + "; SAN " + alternativeNames).orElse("");
    }

    public boolean presentedCertificate() {
        return subject.isPresent();
    }

    private static Optional<String> commonName(X509Certificate leaf) {
        try {
            RDN[] names = X500Name.getInstance(leaf.getSubjectX500Principal().getEncoded()).getRDNs(BCStyle.CN);
            return names.length == 0 ? Optional.empty()
                    : Optional.of(cap(IETFUtils.valueToString(names[0].getFirst().getValue())));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static List<String> alternativeNames(X509Certificate leaf) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> all = leaf.getSubjectAlternativeNames();
            if (all == null) {
                return List.of();
            }
            for (List<?> entry : all) {
                if (names.size() == MAX_NAMES) {
                    break;
                }
                String kind = switch ((Integer) entry.get(0)) {
                    case 1 -> "email";
                    case 2 -> "DNS";
                    case 6 -> "URI";
                    case 7 -> "IP";
                    default -> null;
                };
                if (kind != null && entry.get(1) instanceof String value) {
                    names.add(kind + ":" + cap(value));
                }
            }
        } catch (CertificateParsingException e) {
            return List.of();
        }
        return List.copyOf(names);
    }

    private static String cap(String text) {
        if (text == null) {
            return "";
        }
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        return utf8.length <= MAX_TEXT ? text : new String(utf8, 0, MAX_TEXT, StandardCharsets.UTF_8) + "…";
    }
}
