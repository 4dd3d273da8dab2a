package org.ambassadord.plugin.consul;

import org.ambassadord.spi.ProviderContext;

/**
 * Holds the agent a spec names to the rules of the context it was opened in
 * ({@link ProviderContext#controlDenial(String, int)}): a container's
 * {@code consul://127.0.0.1:8500/…} or {@code consul://169.254.169.254/…} must not make the
 * ambassador's client read from the ambassador's own loopback or a metadata service. Checked
 * before every read, on the watcher thread, where resolving the agent's name may block; a
 * denied agent is reported as one that does not answer, so the backend refuses connections
 * with the rule.
 *
 * <p>What it cannot see: a name that resolves differently between this check and the HTTP
 * client's own look-up a moment later (DNS rebinding inside the JDK's 30 s cache).
 */
final class AgentAddressCheck {

    private final HostPort agent;
    private final ProviderContext context;

    AgentAddressCheck(HostPort agent, ProviderContext context) {
        this.agent = agent;
        this.context = context;
    }

    /**
     * @throws IllegalStateException with the rule, when an address of the agent is denied
     */
    void check() {
        context.controlDenial(agent.host(), agent.port()).ifPresent(denial -> {
            throw new IllegalStateException("agent " + denial);
        });
    }
}
