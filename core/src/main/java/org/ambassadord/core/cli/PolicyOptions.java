package org.ambassadord.core.cli;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;

import org.ambassadord.core.policy.ContainerSpecPolicy;
import org.ambassadord.core.policy.LocalAddresses;
import org.ambassadord.core.policy.UpstreamPolicy;
import org.ambassadord.core.policy.UpstreamRule;

/**
 * The security options turned into policies: one for the operator's own spec (only the rules
 * the operator wrote) and one for specs containers choose (those rules plus the built-in
 * denials, allowed schemes, credential hosts and caps).
 */
record PolicyOptions(UpstreamPolicy operator, ContainerSpecPolicy containers) {

    /** @throws IllegalArgumentException with a one-line message for a malformed option */
    static PolicyOptions from(Options options, ScheduledExecutorService scheduler) {
        List<UpstreamRule> deny = UpstreamPolicy.rules("--deny-upstream", options.denyUpstream);
        List<UpstreamRule> allow = UpstreamPolicy.rules("--allow-upstream", options.allowUpstream);
        Set<String> schemes = options.omniSchemes.isEmpty() ? ContainerSpecPolicy.DEFAULT_SCHEMES
                : ContainerSpecPolicy.parseSchemes(options.omniSchemes);
        UpstreamPolicy forContainers = UpstreamPolicy.forContainers(deny, allow, LocalAddresses.watched(scheduler));
        return new PolicyOptions(UpstreamPolicy.forOperator(deny, allow), new ContainerSpecPolicy(schemes, forContainers,
                options.credentialHosts, options.omniMaxSpecs, options.omniMaxSpecsPerContainer));
    }
}
