package org.ambassadord.core.policy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Which endpoints a backend may connect to. Rules are checked in this order, first match
 * decides:
 * <ol>
 *   <li>{@code --deny-upstream}: denied;</li>
 *   <li>{@code --allow-upstream}: allowed (so an operator can open a hole in the defaults,
 *       say {@code 127.0.0.1:6379} for a sidecar);</li>
 *   <li>the built-in denials, for container-chosen specs only: loopback, link-local (cloud
 *       metadata at 169.254.169.254), unspecified, multicast and broadcast addresses, and
 *       this ambassador's own addresses;</li>
 *   <li>when an allow list is given, anything it did not match is denied; otherwise allowed.</li>
 * </ol>
 * Immutable apart from the own-address set, which is read through a supplier; safe on any
 * thread. A check allocates nothing when the endpoint is allowed.
 */
public final class UpstreamPolicy {

    /** A built-in denial: the block and why it is denied. */
    private record Reserved(AddressBlock block, String why) {
    }

    private static final List<Reserved> RESERVED = List.of(
            reserved("127.0.0.0/8", "loopback: the ambassador's own network namespace"),
            reserved("::1", "loopback: the ambassador's own network namespace"),
            reserved("169.254.0.0/16", "link-local (cloud metadata lives at 169.254.169.254)"),
            reserved("fe80::/10", "link-local"),
            reserved("0.0.0.0/8", "unspecified ('this host')"),
            reserved("::", "unspecified"),
            reserved("224.0.0.0/4", "multicast"),
            reserved("ff00::/8", "multicast"),
            reserved("255.255.255.255", "broadcast"));

    private final List<UpstreamRule> deny;
    private final List<UpstreamRule> allow;
    private final boolean reservedDenied;
    private final Supplier<? extends java.util.Set<InetAddress>> ownAddresses;

    private UpstreamPolicy(List<UpstreamRule> deny, List<UpstreamRule> allow, boolean reservedDenied,
                           Supplier<? extends java.util.Set<InetAddress>> ownAddresses) {
        this.deny = List.copyOf(deny);
        this.allow = List.copyOf(allow);
        this.reservedDenied = reservedDenied;
        this.ownAddresses = ownAddresses;
    }

    /** For the operator's own spec: only the rules the operator wrote. */
    public static UpstreamPolicy forOperator(List<UpstreamRule> deny, List<UpstreamRule> allow) {
        return new UpstreamPolicy(deny, allow, false, java.util.Set::of);
    }

    /** For container-chosen specs: the operator's rules plus the built-in denials. */
    public static UpstreamPolicy forContainers(List<UpstreamRule> deny, List<UpstreamRule> allow,
                                               Supplier<? extends java.util.Set<InetAddress>> ownAddresses) {
        return new UpstreamPolicy(deny, allow, true, ownAddresses);
    }

    /** Parses both options' values (each a comma-separated list, possibly empty). */
    public static List<UpstreamRule> rules(String option, List<String> values) {
        return values.stream().flatMap(value -> UpstreamRule.parseList(option, value).stream()).toList();
    }

    /** Whether the operator wrote any rule; without one, the operator's spec is not wrapped. */
    public boolean hasRules() {
        return !deny.isEmpty() || !allow.isEmpty();
    }

    /** Why an endpoint is denied, or empty when it is allowed. */
    public Optional<String> denial(InetSocketAddress endpoint) {
        for (UpstreamRule rule : deny) {
            if (rule.matches(endpoint)) {
                return Optional.of("denied by --deny-upstream [" + rule + "]");
            }
        }
        for (UpstreamRule rule : allow) {
            if (rule.matches(endpoint)) {
                return Optional.empty();
            }
        }
        if (reservedDenied) {
            Optional<String> reserved = reservedDenial(endpoint.getAddress());
            if (reserved.isPresent()) {
                return reserved;
            }
        }
        if (!allow.isEmpty()) {
            return Optional.of("not in --allow-upstream " + allow);
        }
        return Optional.empty();
    }

    private Optional<String> reservedDenial(InetAddress address) {
        for (Reserved reserved : RESERVED) {
            if (reserved.block().contains(address)) {
                return Optional.of(reserved.why() + ", denied for container-chosen specs");
            }
        }
        InetAddress plain = AddressBlock.unmapped(address);
        if (ownAddresses.get().contains(plain)) {
            return Optional.of("an address of this ambassador, denied for container-chosen specs");
        }
        return Optional.empty();
    }

    private static Reserved reserved(String block, String why) {
        return new Reserved(AddressBlock.parse(block), why);
    }
}
