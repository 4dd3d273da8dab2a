package org.ambassadord.core.tls;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;

import org.ambassadord.core.relay.loop.Registration;
import org.ambassadord.core.relay.loop.RelayLoop;
import org.ambassadord.core.relay.socket.RelaySocket;

/**
 * TLS on the listener ({@code --tls-cert}, {@code --tls-key}): the ambassador terminates the
 * clients' TLS and relays plaintext (or TLS again, with {@code --upstream-tls}). With
 * {@code --tls-client-ca} every client must present a certificate that CA signed. TLS 1.2 and
 * 1.3 only; the JDK resumes sessions (a cache, and TLS 1.3 tickets) and has no 0-RTT; the
 * launcher refuses client-initiated renegotiation. The certificate, key and client CA are
 * reloaded when their files change ({@link #reloadable()}).
 */
public final class ServerTls implements AutoCloseable {

    private final SSLContext context;
    private final boolean clientCertificates;
    private final Duration handshakeTimeout;
    private final List<ReloadableTlsFiles> reloadable;
    private final TlsCounters counters = new TlsCounters();
    private final RecentTlsClients clients = new RecentTlsClients();
    private final ReloadableTlsFiles.Identity identity;
    private final HandshakeTasks tasks = new HandshakeTasks("tls-listener-task");

    private ServerTls(SSLContext context, boolean clientCertificates, Duration handshakeTimeout,
                      ReloadableTlsFiles.Identity identity, List<ReloadableTlsFiles> reloadable) {
        this.context = context;
        this.clientCertificates = clientCertificates;
        this.handshakeTimeout = handshakeTimeout;
        this.identity = identity;
        this.reloadable = List.copyOf(reloadable);
    }

    /**
     * Reads and checks every file now: a mistake is a one-line error at start.
     *
     * @throws TlsFileException when a file is missing, unreadable, not PEM, expired, or a key does not match
     */
    public static ServerTls of(Path cert, Path key, Optional<Path> clientCa, Duration handshakeTimeout) {
        BouncyCastleX25519.install();
        List<ReloadableTlsFiles> reloadable = new ArrayList<>();
        ReloadableTlsFiles.Identity identity = new ReloadableTlsFiles.Identity("--tls-cert", cert, "--tls-key", key);
        KeyManager[] keys = {identity.manager()};
        reloadable.add(identity);
        TrustManager[] trust = null;
        if (clientCa.isPresent()) {
            ReloadableTlsFiles.Trust bundle = new ReloadableTlsFiles.Trust("--tls-client-ca", clientCa.get());
            trust = new TrustManager[] {bundle.manager()};
            reloadable.add(bundle);
        }
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys, trust, null);
            return new ServerTls(context, clientCa.isPresent(), handshakeTimeout, identity, reloadable);
        } catch (GeneralSecurityException e) {
            throw new TlsFileException("--tls-cert: " + e.getMessage());
        }
    }

    SSLEngine newEngine() {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(UpstreamTls.PROTOCOLS);
        parameters.setNeedClientAuth(clientCertificates);
        engine.setSSLParameters(parameters);
        return engine;
    }

    /** Starts the handshake of an accepted client; {@code outcome} hears of it on the loop. */
    public TlsHandshake handshake(RelayLoop loop, RelaySocket client, Registration key, TlsHandshake.Outcome outcome) {
        TlsHandshake handshake = new TlsHandshake(loop, client, key, newEngine(), tasks.executor(), outcome);
        handshake.start();
        return handshake;
    }

    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /** The certificate, key and client CA files, to reload when they change. */
    public List<ReloadableTlsFiles> reloadable() {
        return reloadable;
    }

    /** The served certificate's files, for its expiry. */
    public ReloadableTlsFiles served() {
        return identity;
    }

    /** The verified client certificates seen last, for {@code /status}. */
    public RecentTlsClients clients() {
        return clients;
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
