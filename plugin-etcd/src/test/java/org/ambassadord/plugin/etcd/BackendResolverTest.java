package org.ambassadord.plugin.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

/** What a store hands the resolver is untrusted: size-capped, literals never looked up (issue 21). */
class BackendResolverTest {

    private final BackendResolver resolver = new BackendResolver("/app/web");

    @Test
    void aValueAboveTheCapIsSkippedAndItsSiblingsServe() throws Exception {
        List<InetSocketAddress> addresses = resolver.addressesOf(List.of(
                new NodeSnapshot.Node("/app/web/a", "10.0.0.1:80", 2),
                new NodeSnapshot.Node("/app/web/b", "10.0.0.2:80," + "x".repeat(BackendResolver.MAX_VALUE_CHARS), 3)));
        assertEquals(List.of(new InetSocketAddress(InetAddress.getByAddress(new byte[] {10, 0, 0, 1}), 80)), addresses);
        assertEquals(1, resolver.valuesRefused(), "the refusal is counted");
    }

    @Test
    void malformedLiteralsAreSkippedNotLookedUp() throws Exception {
        List<InetSocketAddress> addresses = resolver.addressesOf(List.of(
                new NodeSnapshot.Node("/app/web/a", "1.2.3.999:80,[zz:1]:80,[::1]:81", 2)));
        assertEquals(List.of(new InetSocketAddress(InetAddress.getByName("::1"), 81)), addresses);
    }

    @Test
    void sixtyThousandColonsAreRefusedAtOnce() {
        // Issue 21's reproduction: 40,000 colons kept the old pattern busy for 18 s.
        String hostile = "[" + ":".repeat(60_000) + "g]:80";
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(1),
                () -> assertEquals(List.of(), resolver.addressesOf(List.of(new NodeSnapshot.Node("/app/web/a", hostile, 2)))));
    }
}
