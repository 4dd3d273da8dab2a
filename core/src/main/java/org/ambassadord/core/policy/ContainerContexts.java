package org.ambassadord.core.policy;

import org.ambassadord.spi.ProviderContext;

/**
 * Hands out the restricted {@link ProviderContext}s through which specs chosen by containers
 * are opened, all sharing one {@link NestedSpecLedger}. Thread-safe.
 */
public final class ContainerContexts {

    private final SpecOpener opener;
    private final ContainerSpecPolicy policy;
    private final ProviderContext operator;
    private final NestedSpecLedger ledger;

    /**
     * @param operator the operator's context, whose scheduler and environment the restricted
     *                 contexts pass on
     */
    public ContainerContexts(SpecOpener opener, ContainerSpecPolicy policy, ProviderContext operator) {
        this.opener = opener;
        this.policy = policy;
        this.operator = operator;
        this.ledger = new NestedSpecLedger(policy.maxSpecs(), policy.maxSpecsPerContainer());
    }

    public ProviderContext forContainer(String containerId, String containerName) {
        return new ContainerContext(opener, policy, ledger, operator, containerId, containerName);
    }

    /** Backends open for containers right now. */
    public int openBackends() {
        return ledger.total();
    }
}
