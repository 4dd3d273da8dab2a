package org.ambassadord.core.cli;

import java.nio.file.Path;
import java.util.Optional;

import org.ambassadord.core.tls.UpstreamTls;

/** {@code --upstream-tls} and the options that shape it, read and checked into an {@link UpstreamTls}. */
final class UpstreamTlsOption {

    private UpstreamTlsOption() {
    }

    /**
     * @return empty without {@code --upstream-tls}
     * @throws IllegalArgumentException when a TLS option is given without it, or a file is wrong
     */
    static Optional<UpstreamTls> from(Options options) {
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
        if (options.tlsHandshakeTimeout.isNegative() || options.tlsHandshakeTimeout.isZero()) {
            throw new IllegalArgumentException("--tls-handshake-timeout must be positive");
        }
        return Optional.of(UpstreamTls.of(path(options.upstreamCa), path(options.upstreamCert), path(options.upstreamKey),
                Optional.ofNullable(options.upstreamSni), Optional.ofNullable(options.upstreamVerifyName),
                options.tlsHandshakeTimeout));
    }

    private static Optional<Path> path(String option) {
        return Optional.ofNullable(option).map(Path::of);
    }
}
