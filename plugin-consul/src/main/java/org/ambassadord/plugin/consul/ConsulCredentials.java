package org.ambassadord.plugin.consul;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.ambassadord.spi.BackendSpecException;
import org.ambassadord.spi.ProviderContext;
import org.tinylog.Logger;

/**
 * What a Consul backend may present to its agent, for both schemes: the ACL token from
 * {@code CONSUL_HTTP_TOKEN} and HTTPS (with the client certificate) from {@code CONSUL_HTTP_SSL}
 * and friends — the token and certificate only where the context allows credentials (a
 * container's spec names any agent; the operator's go to {@code --credential-hosts} only).
 * Thread-safe; the TLS material is read once per kind.
 */
final class ConsulCredentials {

    /** The environment variable Consul's own tools read the ACL token from. */
    static final String TOKEN_VARIABLE = "CONSUL_HTTP_TOKEN";

    private final Map<Boolean, Optional<ConsulTls>> tlsByKind = new HashMap<>();

    /** The token and TLS for one agent, as the context allows. */
    record ForAgent(Optional<String> token, Optional<ConsulTls> tls) {
    }

    ForAgent forAgent(HostPort agent, ProviderContext context) throws BackendSpecException {
        Optional<String> token = Optional.ofNullable(context.environment().get(TOKEN_VARIABLE))
                .map(String::strip)
                .filter(value -> !value.isEmpty());
        boolean credentialHost = context.mayAuthenticateTo(agent.host(), agent.port());
        if (token.isPresent() && !credentialHost) {
            Logger.info("consul: [{}] reads without {}: its agent is not a credential host (--credential-hosts)",
                    agent, TOKEN_VARIABLE);
            token = Optional.empty();
        }
        return new ForAgent(token, tls(context, credentialHost));
    }

    /** Built once per kind (with or without the client certificate), then shared. */
    private synchronized Optional<ConsulTls> tls(ProviderContext context, boolean withClientCertificate)
            throws BackendSpecException {
        Optional<ConsulTls> built = tlsByKind.get(withClientCertificate);
        if (built == null) {
            built = ConsulTls.fromEnvironment(context.environment(), withClientCertificate);
            tlsByKind.put(withClientCertificate, built);
        }
        return built;
    }
}
