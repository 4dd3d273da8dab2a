package org.ambassadord.core.relay.socket;


/**
 * Whether a non-blocking connect is worth finishing right after it was started. To a backend
 * on the same host (loopback, a bridge to another container) the handshake has usually
 * completed by the time connect(2) returns, and finishing it at once saves a round through the
 * selector and an interest change; to a remote backend the attempt is two wasted system calls.
 * So each loop keeps score over windows of connects and stops trying while most attempts fail,
 * looking again after a while. Loop thread only.
 */
public final class ConnectGuess {

    private static final int WINDOW = 32;
    /** Connects not tried at once after a window where most attempts failed. */
    private static final int PAUSE = 1024;

    private int attempts;
    private int hits;
    private int paused;

    /**
     * Finishes a pending connect at once where that usually works, and keeps score.
     *
     * @return whether the socket is connected now
     */
    public boolean finishAtOnce(RelaySocket socket) throws java.io.IOException {
        if (!worthTrying()) {
            return false;
        }
        boolean connected = socket.finishConnect();
        record(connected);
        return connected;
    }

    boolean worthTrying() {
        if (paused > 0) {
            paused--;
            return false;
        }
        return true;
    }

    void record(boolean connectedAtOnce) {
        attempts++;
        if (connectedAtOnce) {
            hits++;
        }
        if (attempts == WINDOW) {
            if (hits < WINDOW / 2) {
                paused = PAUSE;
            }
            attempts = 0;
            hits = 0;
        }
    }
}
