package org.ambassadord.core.relay;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import org.ambassadord.core.relay.loop.Registration;
import org.ambassadord.core.relay.socket.LinuxCalls;
import org.ambassadord.core.relay.socket.RelaySocket;

/**
 * Notices a client that gave up (reset its connection) while its backend is still being
 * resolved or connected, so that the attempt is abandoned at once instead of running on to
 * its timeout. The client is not read before relaying (its bytes wait in the kernel):
 * readiness is checked with a {@code MSG_PEEK}. A FIN is not giving up — a client may send its
 * request and shut its output, then wait for the answer (HAProxy's default, without
 * {@code abortonclose}) — so bytes or an end of stream both end the watch, and relaying
 * delivers them. Only while a connection actually waits — an answer or a
 * connect that was not there at once — so the common fast path costs nothing. Linux only;
 * elsewhere a client that leaves is noticed when relaying starts. Loop thread only.
 */
final class ClientWatch {

    private final RelaySocket client;
    private Registration key;
    private boolean watching;

    ClientWatch(RelaySocket client) {
        this.client = client;
    }

    /** Starts watching (once), if the platform can peek. */
    void start(Registration clientKey) {
        if (watching || !clientKey.isValid() || !canPeek()) {
            return;
        }
        key = clientKey;
        watching = true;
        key.interestOps(SelectionKey.OP_READ);
    }

    /** Stops watching; relaying sets the client's interest from then on. */
    void stop() {
        if (watching && key.isValid()) {
            key.interestOps(0);
        }
        watching = false;
    }

    /** Stops watching without touching the interest, which relaying is about to set. */
    void forget() {
        watching = false;
    }

    boolean isWatching() {
        return watching;
    }

    /**
     * The client became readable while waiting.
     *
     * @return why the client is gone (it reset the connection), or null when it sent bytes or
     *         shut its output (then it is no longer watched: relaying takes both)
     */
    String onReadable() {
        int fd = client.fd();
        if (fd < 0) {
            stop();
            return null;
        }
        try {
            if (LinuxCalls.instance().peek(fd) != LinuxCalls.Peeked.NOTHING) {
                stop();
            }
            return null;
        } catch (IOException e) {
            return "the client reset the connection (" + e.getMessage() + ")";
        }
    }

    private static boolean canPeek() {
        try {
            LinuxCalls.instance();
            return true;
        } catch (UnsupportedOperationException e) {
            return false;
        }
    }
}
