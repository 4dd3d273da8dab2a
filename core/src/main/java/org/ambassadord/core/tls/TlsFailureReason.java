package org.ambassadord.core.tls;

import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.util.Locale;

import javax.net.ssl.SSLHandshakeException;

/**
 * Why a handshake failed, as {@code /metrics} counts it: the few reasons an operator acts on
 * differently. Read from the JDK's exception chain (types first, then the alert or message
 * text the JDK uses, which is stable across releases); what matches none is {@link #OTHER}.
 */
public enum TlsFailureReason {
    /** The peer's certificate is not signed by a trusted CA (or has expired). */
    UNKNOWN_CA("unknown_ca"),
    /** A client certificate was required and none was given (or the server asked for one we lack). */
    NO_CLIENT_CERTIFICATE("no_client_certificate"),
    /** The certificate does not carry the name (or IP) it was verified against. */
    NAME_MISMATCH("name_mismatch"),
    /** No common protocol version or cipher suite, or not TLS at all. */
    PROTOCOL("protocol"),
    /** The handshake took longer than {@code --tls-handshake-timeout}. */
    TIMEOUT("timeout"),
    /** The peer closed or reset the connection during the handshake; anything else. */
    OTHER("other");

    private final String label;

    TlsFailureReason(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static TlsFailureReason of(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof CertPathValidatorException || cause instanceof CertificateExpiredException) {
                return UNKNOWN_CA;
            }
            String message = cause.getMessage() == null ? "" : cause.getMessage().toLowerCase(Locale.ROOT);
            if (message.contains("timed out")) {
                return TIMEOUT;
            }
            if (message.contains("no subject alternative") || message.contains("no name matching")
                    || message.contains("does not match") && message.contains("name")) {
                return NAME_MISMATCH;
            }
            if (message.contains("empty client certificate chain") || message.contains("certificate_required")
                    || message.contains("bad_certificate") && cause instanceof SSLHandshakeException) {
                return NO_CLIENT_CERTIFICATE;
            }
            if (message.contains("pkix path") || message.contains("unable to find valid certification path")
                    || message.contains("unknown_ca") || message.contains("certificate_expired")) {
                return UNKNOWN_CA;
            }
            if (message.contains("protocol_version") || message.contains("no appropriate protocol")
                    || message.contains("no cipher suites in common") || message.contains("handshake_failure")
                    || message.contains("unrecognized ssl message") || message.contains("unsupported ssl message")) {
                return PROTOCOL;
            }
        }
        return OTHER;
    }
}
