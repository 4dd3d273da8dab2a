package org.ambassadord.plugin.etcd;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import javax.net.ssl.SSLException;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.netty.handler.ssl.SslContextBuilder;
import org.ambassadord.spi.BackendSpecException;

/**
 * How to reach etcd beyond plain text, from the variables etcdctl reads: {@code ETCDCTL_CACERT}
 * (the CA that signed the servers' certificates; turns TLS on), {@code ETCDCTL_CERT} and
 * {@code ETCDCTL_KEY} (a client certificate and its key, PEM), {@code ETCDCTL_USER}
 * ({@code name} or {@code name:password}) and {@code ETCDCTL_PASSWORD}. Secrets never come
 * from the spec string, which containers write and logs show.
 *
 * <p>The client certificate and the user are credentials: they are given only to endpoints the
 * operator allows ({@code --credential-hosts}); elsewhere the access has the CA only.
 *
 * @param ca       the CA certificate file; TLS when present
 * @param cert     the client certificate file
 * @param key      its key file
 * @param user     the user name for etcd's authentication
 * @param password its password
 */
record EtcdAccess(Optional<Path> ca, Optional<Path> cert, Optional<Path> key, Optional<String> user,
                  Optional<String> password) {

    static final EtcdAccess PLAIN = new EtcdAccess(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty());

    /**
     * The access the environment describes.
     *
     * @param withCredentials false for endpoints that are not credential hosts
     * @throws BackendSpecException when a named file is unreadable or not usable PEM, or the
     *                              certificate comes without its key
     */
    static EtcdAccess fromEnvironment(Map<String, String> environment, boolean withCredentials) throws BackendSpecException {
        Optional<Path> ca = file(environment, "ETCDCTL_CACERT");
        Optional<Path> cert = withCredentials ? file(environment, "ETCDCTL_CERT") : Optional.empty();
        Optional<Path> key = withCredentials ? file(environment, "ETCDCTL_KEY") : Optional.empty();
        if (cert.isPresent() != key.isPresent()) {
            throw new BackendSpecException("ETCDCTL_CERT and ETCDCTL_KEY go together: set both or neither");
        }
        Optional<String> user = Optional.empty();
        Optional<String> password = Optional.empty();
        String userVariable = environment.getOrDefault("ETCDCTL_USER", "").strip();
        if (withCredentials && !userVariable.isEmpty()) {
            int colon = userVariable.indexOf(':');
            user = Optional.of(colon < 0 ? userVariable : userVariable.substring(0, colon));
            password = colon < 0 ? Optional.ofNullable(environment.get("ETCDCTL_PASSWORD")) : Optional.of(userVariable.substring(colon + 1));
            if (password.isEmpty()) {
                throw new BackendSpecException("ETCDCTL_USER names a user without a password: write name:password or set"
                        + " ETCDCTL_PASSWORD");
            }
        }
        EtcdAccess access = new EtcdAccess(ca, cert, key, user, password);
        if (access.tls()) {
            try {
                // Builds the TLS context once now, so that a bad file stops the spec here.
                Client.builder().sslContext(access::configure);
            } catch (SSLException | IllegalArgumentException e) {
                throw new BackendSpecException("etcd TLS: " + e.getMessage());
            }
        }
        return access;
    }

    boolean tls() {
        return ca.isPresent() || cert.isPresent();
    }

    /** Applies this access to a client builder: TLS, then the user. */
    ClientBuilder apply(ClientBuilder builder) {
        if (tls()) {
            try {
                builder.sslContext(this::configure);
            } catch (SSLException e) {
                // Checked when the access was made; a file changed since.
                throw new IllegalStateException("etcd TLS: " + e.getMessage(), e);
            }
        }
        user.ifPresent(name -> builder.user(ByteSequence.from(name, StandardCharsets.UTF_8))
                .password(ByteSequence.from(password.orElse(""), StandardCharsets.UTF_8)));
        return builder;
    }

    private void configure(SslContextBuilder builder) {
        ca.ifPresent(file -> builder.trustManager(file.toFile()));
        if (cert.isPresent()) {
            builder.keyManager(cert.get().toFile(), key.orElseThrow().toFile());
        }
    }

    /** For logs: what this access presents, without secrets. */
    String describe() {
        return (tls() ? "TLS" + cert.map(c -> " with client certificate").orElse("") : "plain text")
                + user.map(name -> ", user " + name).orElse("");
    }

    private static Optional<Path> file(Map<String, String> environment, String variable) throws BackendSpecException {
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

    @Override
    public String toString() {
        // Never the password, whoever prints this.
        return "EtcdAccess[" + describe() + "]";
    }
}
