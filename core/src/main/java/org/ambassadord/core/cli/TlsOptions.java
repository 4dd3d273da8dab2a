package org.ambassadord.core.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import org.ambassadord.core.tls.ServerTls;
import org.ambassadord.core.tls.TlsHops;
import org.ambassadord.core.tls.UpstreamTls;

/**
 * The TLS options of either hop — {@code --tls-cert}, {@code --tls-key}, {@code --tls-client-ca}
 * on the listener, {@code --upstream-tls} and its options towards the backends — read and
 * checked into {@link TlsHops}: every file is read now, so a mistake is one line at start.
 */
final class TlsOptions {

    private TlsOptions() {
    }

    /** @throws IllegalArgumentException when options do not go together, or a file is wrong */
    static TlsHops from(Options options) {
        Duration timeout = options.tlsHandshakeTimeout;
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("--tls-handshake-timeout must be positive");
        }
        return new TlsHops(listener(options, timeout), upstream(options, timeout));
    }

    private static Optional<ServerTls> listener(Options options, Duration timeout) {
        if (options.tlsCert == null && options.tlsKey == null) {
            if (options.tlsClientCa != null) {
                throw new IllegalArgumentException("--tls-client-ca needs --tls-cert and --tls-key");
            }
            return Optional.empty();
        }
        if (options.tlsCert == null || options.tlsKey == null) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together: give both or neither");
        }
        return Optional.of(ServerTls.of(Path.of(options.tlsCert), Path.of(options.tlsKey), path(options.tlsClientCa), timeout));
    }

    private static Optional<UpstreamTls> upstream(Options options, Duration timeout) {
        if (!options.upstreamTls) {
            for (String[] option : new String[][] {{"--upstream-ca", options.upstreamCa}, {"--upstream-cert", options.upstreamCert},
                    {"--upstream-key", options.upstreamKey}, {"--upstream-sni", options.upstreamSni},
                    {"--upstream-verify-name", options.upstreamVerifyName}}) {
                if (option[1] != null) {
                    throw new IllegalArgumentException(option[0] + " needs --upstream-tls");
                }
            }
            return Optional.empty();
        }
        return Optional.of(UpstreamTls.of(path(options.upstreamCa), path(options.upstreamCert), path(options.upstreamKey),
                Optional.ofNullable(options.upstreamSni), Optional.ofNullable(options.upstreamVerifyName), timeout));
    }

    private static Optional<Path> path(String option) {
        return Optional.ofNullable(option).map(Path::of);
    }
}
