package org.ambassadord.plugin.srv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * RFC 2782 ordering of any SRV answer a DNS server may send (any priorities and weights, 0 and
 * 65535 among them, repeated targets): every entry comes out exactly once, priorities never go
 * down, and the endpoints are the entries' addresses in that order.
 */
class SrvOrderFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void everyEntryOnceInPriorityOrder(FuzzedDataProvider data) throws Exception {
        List<SrvEntry> entries = new ArrayList<>();
        int count = data.consumeInt(0, 64);
        for (int i = 0; i < count; i++) {
            InetAddress address = InetAddress.getByAddress(new byte[] {10, 0, (byte) (i >> 8), (byte) i});
            entries.add(new SrvEntry(data.consumeInt(0, 65535), data.consumeInt(0, 65535), data.consumeInt(1, 65535),
                    "t" + data.consumeInt(0, 3) + ".test", List.of(address)));
        }
        // Sorted by priority, as SrvAnswer keeps an answer's entries (the order's precondition).
        entries.sort(Comparator.comparingInt(SrvEntry::priority));
        List<SrvEntry> ordered = Rfc2782Order.order(entries, new SplittableRandom(data.consumeLong()));
        assertEquals(entries.size(), ordered.size());
        assertTrue(ordered.containsAll(entries) && entries.containsAll(ordered));
        for (int i = 1; i < ordered.size(); i++) {
            assertTrue(ordered.get(i - 1).priority() <= ordered.get(i).priority(), ordered.toString());
        }
        assertEquals(entries.size(), Rfc2782Order.endpoints(entries, new SplittableRandom(1)).size());
    }
}
