package org.ambassadord.core.policy;

import org.ambassadord.spi.Backend;
import org.ambassadord.spi.BackendSpecException;
import org.ambassadord.spi.ProviderContext;

/** What the policy needs of the dispatcher: which provider a spec goes to, and opening it. */
public interface SpecOpener {

    /** The scheme of the provider that would open a spec (a scheme-less spec's claimant's). */
    String schemeServing(String spec) throws BackendSpecException;

    /** Opens a spec with its provider, handing the provider the given context. */
    Backend open(String spec, ProviderContext context) throws BackendSpecException;
}
