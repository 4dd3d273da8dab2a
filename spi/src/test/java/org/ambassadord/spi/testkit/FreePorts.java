package org.ambassadord.spi.testkit;

import java.io.IOException;
import java.net.ServerSocket;

/**
 * Free TCP ports for a server a test starts, several at once.
 *
 * <p>Each port comes from the kernel ({@code bind} to port 0). They are all held open until
 * every one is chosen: a port freed by closing its socket may be handed out again by the very
 * next {@code bind}, and a server given the same port for two of its listeners refuses to
 * start (Consul: "Serf Advertise WAN address ... already configured for RPC Advertise").
 */
public final class FreePorts {

    private FreePorts() {
    }

    /** {@code count} distinct ports, each free on every local address (IPv4 and IPv6). */
    public static int[] distinct(int count) throws IOException {
        ServerSocket[] held = new ServerSocket[count];
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                held[i] = new ServerSocket(0);
                ports[i] = held[i].getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : held) {
                if (socket != null) {
                    socket.close();
                }
            }
        }
    }
}
