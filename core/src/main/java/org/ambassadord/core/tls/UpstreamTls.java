package org.ambassadord.core.tls;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

import org.ambassadord.core.relay.loop.Registration;
import org.ambassadord.core.relay.loop.RelayLoop;
import org.ambassadord.core.relay.socket.RelaySocket;
import org.ambassadord.spi.ProviderContext;

/**
 * TLS from the ambassador to its backends ({@code --upstream-tls}): what it trusts (a PEM
 * bundle, or the JDK's trust store), the client certificate it presents for mutual TLS, the
 * name it sends (SNI) and the name the server's certificate must carry. Verification is
 * always on: with no name to check, the endpoint's IP address must be in the certificate's
 * subject alternative names. The CA bundle and the client certificate are reloaded when their
 * files change ({@link #reloadable()}). Owns the threads of the handshakes' delegated tasks.
 */
public final class UpstreamTls implements AutoCloseable {

    /** TLS 1.2 and 1.3 only. */
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final SSLContext context;
    /** The same trust without the client certificate: for endpoints a container chose (omni). */
    private final SSLContext anonymous;
    /** Endpoints a container chose that may see the client certificate anyway ({@code --credential-hosts}). */
    private volatile java.util.function.Predicate<InetSocketAddress> credentialHosts = endpoint -> false;
    private final Optional<String> sni;
    private final Optional<String> verifyName;
    private final Duration handshakeTimeout;
    private final HandshakeTasks tasks = new HandshakeTasks("tls-upstream-task");
    private final List<ReloadableTlsFiles> reloadable;
    private final TlsCounters counters = new TlsCounters();

    private UpstreamTls(SSLContext context, SSLContext anonymous, Optional<String> sni, Optional<String> verifyName,
                        Duration handshakeTimeout, List<ReloadableTlsFiles> reloadable) {
        this.context = context;
        this.anonymous = anonymous;
        this.sni = sni;
        this.verifyName = verifyName;
        this.handshakeTimeout = handshakeTimeout;
        this.reloadable = List.copyOf(reloadable);
    }

    /**
     * The options as the command line gives them; every file is read and checked now, so that
     * a mistake is a one-line error at start.
     *
     * @throws TlsFileException when a file is missing, unreadable, not PEM, or a key does not match
     */
    public static UpstreamTls of(Optional<Path> ca, Optional<Path> cert, Optional<Path> key, Optional<String> sni,
                                 Optional<String> verifyName, Duration handshakeTimeout) {
        if (cert.isPresent() != key.isPresent()) {
            throw new TlsFileException("--upstream-cert and --upstream-key go together: give both or neither");
        }
        BouncyCastleX25519.install();
        List<ReloadableTlsFiles> reloadable = new java.util.ArrayList<>();
        javax.net.ssl.X509ExtendedTrustManager trust;
        if (ca.isPresent()) {
            ReloadableTlsFiles.Trust bundle = new ReloadableTlsFiles.Trust("--upstream-ca", ca.get());
            trust = bundle.manager();
            reloadable.add(bundle);
        } else {
            trust = ReloadableTlsFiles.jdkTrust();
        }
        javax.net.ssl.KeyManager[] keys = null;
        if (cert.isPresent()) {
            ReloadableTlsFiles.Identity identity = new ReloadableTlsFiles.Identity("--upstream-cert", cert.get(),
                    "--upstream-key", key.get());
            keys = new javax.net.ssl.KeyManager[] {identity.manager()};
            reloadable.add(identity);
        }
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys, new javax.net.ssl.TrustManager[] {trust}, null);
            SSLContext anonymous = context;
            if (keys != null) {
                anonymous = SSLContext.getInstance("TLS");
                anonymous.init(null, new javax.net.ssl.TrustManager[] {trust}, null);
            }
            return new UpstreamTls(context, anonymous, sni, verifyName, handshakeTimeout, reloadable);
        } catch (GeneralSecurityException e) {
            throw new TlsFileException("--upstream-tls: " + e.getMessage());
        }
    }

    /** The files to reload when they change (the CA bundle, the client certificate and key). */
    public List<ReloadableTlsFiles> reloadable() {
        return reloadable;
    }

    /**
     * An engine for one connection to {@code endpoint}: SNI is {@code --upstream-sni}, else the
     * host name the spec named (none for a bare IP); the certificate must carry
     * {@code --upstream-verify-name}, else the SNI, else the endpoint's IP.
     */
    /**
     * Omni mode: the hosts a container's TLS may show the operator's client certificate to,
     * {@code --credential-hosts}; any other endpoint a container chose gets a handshake
     * without one.
     */
    public void presentCertificateToContainerChosen(java.util.function.Predicate<InetSocketAddress> hosts) {
        this.credentialHosts = hosts;
    }

    /**
     * @param containerChosen the endpoint comes from a container's spec, not the operator's:
     *                        the client certificate is shown only to a credential host
     */
    SSLEngine engineFor(InetSocketAddress endpoint, boolean containerChosen) {
        Optional<String> serverName = serverName(endpoint);
        SSLContext chosen = containerChosen && !credentialHosts.test(endpoint) ? anonymous : context;
        SSLEngine engine = chosen.createSSLEngine(verifiedName(endpoint, serverName), endpoint.getPort());
        engine.setUseClientMode(true);
        engine.setSSLParameters(parametersFor(serverName, engine.getSSLParameters()));
        return engine;
    }

    private Optional<String> serverName(InetSocketAddress endpoint) {
        Optional<String> specName = Optional.ofNullable(endpoint.getHostString())
                .filter(host -> ProviderContext.ipLiteral(host).isEmpty());
        return sni.or(() -> specName);
    }

    private String verifiedName(InetSocketAddress endpoint, Optional<String> serverName) {
        return verifyName.or(() -> serverName).orElse(endpoint.getAddress().getHostAddress());
    }

    private static SSLParameters parametersFor(Optional<String> serverName, SSLParameters parameters) {
        parameters.setProtocols(PROTOCOLS);
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        parameters.setServerNames(serverName.<List<javax.net.ssl.SNIServerName>>map(name -> List.of(new SNIHostName(name)))
                .orElse(List.of()));
        return parameters;
    }

    /**
     * {@code --check}: the handshake a connection would make, blocking, over a connected
     * socket; what the server's certificate says, or why the handshake failed.
     */
    public String probe(java.net.Socket connected, InetSocketAddress endpoint) {
        Optional<String> serverName = serverName(endpoint);
        try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) context.getSocketFactory()
                .createSocket(connected, verifiedName(endpoint, serverName), endpoint.getPort(), true)) {
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, handshakeTimeout.toMillis()));
            socket.setSSLParameters(parametersFor(serverName, socket.getSSLParameters()));
            socket.startHandshake();
            javax.net.ssl.SSLSession session = socket.getSession();
            java.security.cert.X509Certificate leaf = (java.security.cert.X509Certificate) session.getPeerCertificates()[0];
            return "TLS ok (" + session.getProtocol() + "): subject " + leaf.getSubjectX500Principal().getName()
                    + ", issuer " + leaf.getIssuerX500Principal().getName() + ", expires " + leaf.getNotAfter().toInstant();
        } catch (java.io.IOException e) {
            return "TLS fails (" + TlsFailureReason.of(e).label() + "): " + e.getMessage();
        }
    }

    /**
     * Starts the handshake of a connected backend socket; {@code outcome} hears of it on the
     * loop. The caller keeps the deadline ({@link #handshakeTimeout()}).
     */
    public TlsHandshake handshake(RelayLoop loop, RelaySocket backend, Registration key, InetSocketAddress endpoint,
                                  boolean containerChosen, TlsHandshake.Outcome outcome) {
        TlsHandshake handshake = new TlsHandshake(loop, backend, key, engineFor(endpoint, containerChosen), tasks.executor(),
                outcome);
        handshake.start();
        return handshake;
    }

    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /** Handshakes on this hop, by outcome. */
    public TlsCounters counters() {
        return counters;
    }

    @Override
    public void close() {
        tasks.close();
    }
}
