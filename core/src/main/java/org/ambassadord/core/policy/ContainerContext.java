package org.ambassadord.core.policy;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ScheduledExecutorService;

import org.ambassadord.core.logging.LogText;
import org.ambassadord.spi.Backend;
import org.ambassadord.spi.BackendSpecException;
import org.ambassadord.spi.ProviderContext;

/**
 * The context of specs one container chose: only the allowed schemes, a slot of the caps per
 * backend, every answer through the container upstream policy, credentials only for the
 * operator's credential hosts. A backend opened here that opens specs of its own gets this
 * same context, so nesting cannot widen what the container may do.
 */
final class ContainerContext implements ProviderContext {

    private final SpecOpener opener;
    private final ContainerSpecPolicy policy;
    private final NestedSpecLedger ledger;
    private final ProviderContext operator;
    private final String containerId;
    private final String containerLabel;

    ContainerContext(SpecOpener opener, ContainerSpecPolicy policy, NestedSpecLedger ledger, ProviderContext operator,
                     String containerId, String containerName) {
        this.opener = opener;
        this.policy = policy;
        this.ledger = ledger;
        this.operator = operator;
        this.containerId = containerId;
        this.containerLabel = LogText.escape(containerName) + " ("
                + LogText.escape(containerId.substring(0, Math.min(12, containerId.length()))) + ")";
    }

    @Override
    public Backend open(String spec) throws BackendSpecException {
        String trimmed = spec.strip();
        String scheme = opener.schemeServing(trimmed);
        if (!policy.schemes().contains(scheme)) {
            throw new BackendSpecException("scheme [" + scheme + "] is not allowed in specs containers choose; allowed "
                    + new TreeSet<>(policy.schemes()) + " (--omni-schemes)");
        }
        ledger.acquire(containerId, containerLabel);
        try {
            return new PolicedBackend(opener.open(trimmed, this), policy.upstream(), () -> ledger.release(containerId));
        } catch (BackendSpecException | RuntimeException | Error e) {
            ledger.release(containerId);
            throw e;
        }
    }

    @Override
    public ScheduledExecutorService scheduler() {
        return operator.scheduler();
    }

    @Override
    public Map<String, String> environment() {
        return operator.environment();
    }

    @Override
    public ProviderContext forContainer(String id, String name) {
        return this;
    }

    @Override
    public boolean containerChosen() {
        return true;
    }

    @Override
    public boolean mayAuthenticateTo(String host, int port) {
        return policy.isCredentialHost(host, port);
    }

    /** A container's agent is held to the rules of its endpoints (issue 21). */
    @Override
    public Optional<String> controlDenial(InetSocketAddress address) {
        return policy.upstream().denial(address);
    }
}
