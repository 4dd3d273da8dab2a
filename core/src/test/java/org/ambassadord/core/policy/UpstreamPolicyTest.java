package org.ambassadord.core.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UpstreamPolicyTest {

    private static final InetAddress OWN = address("172.17.0.9");

    private static InetAddress address(String literal) {
        return AddressBlock.literal(literal).orElseThrow();
    }

    private static Optional<String> check(UpstreamPolicy policy, String address, int port) {
        return policy.denial(new InetSocketAddress(address(address), port));
    }

    private static UpstreamPolicy containers(String deny, String allow) {
        return UpstreamPolicy.forContainers(UpstreamRule.parseList("--deny-upstream", deny),
                UpstreamRule.parseList("--allow-upstream", allow), () -> Set.of(OWN));
    }

    @ParameterizedTest(name = "{0} denied for containers: {1}")
    @CsvSource(delimiter = '|', value = {
            "127.0.0.1        | loopback: the ambassador's own network namespace, denied for container-chosen specs",
            "127.8.9.10       | loopback: the ambassador's own network namespace, denied for container-chosen specs",
            "::1              | loopback: the ambassador's own network namespace, denied for container-chosen specs",
            "::ffff:127.0.0.1 | loopback: the ambassador's own network namespace, denied for container-chosen specs",
            "169.254.169.254  | link-local (cloud metadata lives at 169.254.169.254), denied for container-chosen specs",
            "fe80::1          | link-local, denied for container-chosen specs",
            "0.0.0.0          | unspecified ('this host'), denied for container-chosen specs",
            "::               | unspecified, denied for container-chosen specs",
            "224.0.0.1        | multicast, denied for container-chosen specs",
            "ff02::1          | multicast, denied for container-chosen specs",
            "255.255.255.255  | broadcast, denied for container-chosen specs",
            "172.17.0.9       | an address of this ambassador, denied for container-chosen specs",
            "::ffff:172.17.0.9| an address of this ambassador, denied for container-chosen specs",
    })
    void builtInDenialsForContainers(String address, String reason) {
        assertEquals(Optional.of(reason), check(containers("", ""), address, 6379));
    }

    @Test
    void ordinaryAddressesAreAllowedForContainers() {
        UpstreamPolicy policy = containers("", "");
        assertEquals(Optional.empty(), check(policy, "172.17.0.3", 6379));
        assertEquals(Optional.empty(), check(policy, "10.1.2.3", 5432));
        assertEquals(Optional.empty(), check(policy, "2001:db8::7", 80));
    }

    @Test
    void theOperatorsSpecHasNoBuiltInDenials() {
        UpstreamPolicy policy = UpstreamPolicy.forOperator(List.of(), List.of());
        assertEquals(Optional.empty(), check(policy, "127.0.0.1", 6379));
        assertEquals(Optional.empty(), check(policy, "169.254.169.254", 80));
    }

    @Test
    void anExplicitDenyWinsOverEverything() {
        UpstreamPolicy policy = containers("10.0.0.0/8:22", "10.0.0.0/8");
        assertEquals(Optional.of("denied by --deny-upstream [10.0.0.0/8:22]"), check(policy, "10.1.1.1", 22));
        assertEquals(Optional.empty(), check(policy, "10.1.1.1", 6379));
    }

    @Test
    void anExplicitAllowOpensAHoleInTheDefaults() {
        UpstreamPolicy policy = containers("", "127.0.0.1:6379");
        assertEquals(Optional.empty(), check(policy, "127.0.0.1", 6379));
        assertEquals(Optional.of("loopback: the ambassador's own network namespace, denied for container-chosen specs"),
                check(policy, "127.0.0.1", 6380));
    }

    @Test
    void withAnAllowListEverythingElseIsDenied() {
        UpstreamPolicy policy = containers("", "10.0.0.0/8,[fd00::/8]:443");
        assertEquals(Optional.empty(), check(policy, "10.3.3.3", 1));
        assertEquals(Optional.empty(), check(policy, "fd00::3", 443));
        assertEquals(Optional.of("not in --allow-upstream [10.0.0.0/8, [fd00::/8]:443]"), check(policy, "192.168.1.1", 80));
        assertEquals(Optional.of("not in --allow-upstream [10.0.0.0/8, [fd00::/8]:443]"), check(policy, "fd00::3", 80));
        UpstreamPolicy operator = UpstreamPolicy.forOperator(List.of(), UpstreamRule.parseList("--allow-upstream", "10.0.0.0/8"));
        assertEquals(Optional.of("not in --allow-upstream [10.0.0.0/8]"), check(operator, "127.0.0.1", 80));
    }
}
