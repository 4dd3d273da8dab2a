package org.ambassadord.core.policy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Whether the operator's credentials may go to a host a container's spec names
 * ({@code --credential-hosts}): for any entries and any host, the answer never throws, an entry
 * always admits its own host (and port), a host never listed is refused, and a name is never
 * looked up (the test's hosts are not in DNS; a look-up would show as seconds, and the entries
 * match names as text).
 */
class CredentialHostFuzzTest {

    @FuzzTest(maxDuration = "10s")
    @DictionaryEntries({"consul.internal", ":8500", "[", "]", "fd00::7", "fd00:0:0::7", "10.0.0.1", "::ffff:10.0.0.1", ":",
        "%eth0", "65535", "65536", "0"})
    void entriesAdmitTheirOwnHostsAndNothingUnlisted(FuzzedDataProvider data) {
        List<String> entries = List.of(data.consumeString(64), data.consumeString(64));
        int port = data.consumeInt(0, 65535);
        String host = data.consumeRemainingAsString();
        ContainerSpecPolicy policy = new ContainerSpecPolicy(Set.of("static"), UpstreamPolicy.forOperator(List.of(), List.of()),
                entries, 8, 8);
        boolean admitted = policy.isCredentialHost(host, port);
        for (String entry : policy.credentialHosts()) {
            if (!entry.contains(":") || entry.startsWith("[") && entry.endsWith("]")) {
                // A bare host (or bracketed literal): any port.
                assertTrue(policy.isCredentialHost(entry, port), entry);
            }
        }
        if (admitted) {
            // A name is admitted only as an entry spells it; an address literal may be spelled otherwise.
            String lowered = host.toLowerCase(Locale.ROOT);
            String name = lowered.startsWith("[") && lowered.endsWith("]") ? lowered.substring(1, lowered.length() - 1) : lowered;
            assertTrue(policy.credentialHosts().stream().anyMatch(entry -> entry.contains(name))
                    || AddressBlock.literal(name).isPresent(), "admitted [" + host + "], which no entry names: "
                    + policy.credentialHosts());
        }
        assertFalse(new ContainerSpecPolicy(Set.of("static"), UpstreamPolicy.forOperator(List.of(), List.of()), List.of(), 8, 8)
                .isCredentialHost(host, port), "no entries admit nothing");
    }
}
