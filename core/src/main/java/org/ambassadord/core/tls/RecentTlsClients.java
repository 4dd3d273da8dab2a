package org.ambassadord.core.tls;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The verified client identities the listener saw last, for {@code /status}: at most
 * {@link #KEPT}, the least recently seen dropped first, each with its handshakes. Bounded, so
 * that clients with ever new certificates cannot grow it. Any thread.
 */
public final class RecentTlsClients {

    static final int KEPT = 16;

    /** One identity: how many handshakes it made and when it was seen last (epoch ms). */
    public record Seen(String identity, long handshakes, long lastMillis) {
    }

    private final Map<String, Seen> byIdentity = new LinkedHashMap<>(KEPT * 2, 0.75f, true);

    /** Notes a handshake; a client without a certificate is not an identity. */
    public synchronized void seen(TlsPeer peer) {
        if (!peer.presentedCertificate()) {
            return;
        }
        String identity = peer.identity();
        Seen before = byIdentity.get(identity);
        byIdentity.put(identity, new Seen(identity, before == null ? 1 : before.handshakes() + 1, System.currentTimeMillis()));
        if (byIdentity.size() > KEPT) {
            byIdentity.remove(byIdentity.keySet().iterator().next());
        }
    }

    /** Most recent first. */
    public synchronized List<Seen> recent() {
        List<Seen> all = new ArrayList<>(byIdentity.values());
        java.util.Collections.reverse(all);
        return all;
    }
}
