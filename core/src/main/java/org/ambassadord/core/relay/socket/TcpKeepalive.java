package org.ambassadord.core.relay.socket;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.time.Duration;

import jdk.net.ExtendedSocketOptions;

/**
 * TCP keepalive on a backend socket: a peer that vanished without a reset (host gone, NAT
 * entry dropped) is noticed after the idle time plus {@value #PROBES} probes
 * {@value #INTERVAL_SECONDS} s apart, instead of holding two sockets forever. Accepted client
 * sockets inherit the same settings from their listener (see {@link RelayServer}).
 */
public final class TcpKeepalive {

    static final int INTERVAL_SECONDS = 15;
    static final int PROBES = 4;

    private TcpKeepalive() {
    }

    /** @param idle 0 leaves keepalive off */
    public static void enable(SocketChannel channel, Duration idle) throws IOException {
        if (idle.isZero()) {
            return;
        }
        java.util.OptionalInt fd = SocketDescriptors.of(channel);
        if (fd.isPresent()) {
            try {
                // Straight to setsockopt: the JDK's extended options cost more per socket.
                enable(LinuxCalls.instance(), fd.getAsInt(), idle);
                return;
            } catch (UnsupportedOperationException notLinux) {
                // the JDK's options below
            }
        }
        channel.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
        if (channel.supportedOptions().contains(ExtendedSocketOptions.TCP_KEEPIDLE)) {
            channel.setOption(ExtendedSocketOptions.TCP_KEEPIDLE, seconds(idle));
            channel.setOption(ExtendedSocketOptions.TCP_KEEPINTERVAL, INTERVAL_SECONDS);
            channel.setOption(ExtendedSocketOptions.TCP_KEEPCOUNT, PROBES);
        }
    }

    /**
     * Keepalive on a descriptor with {@code setsockopt}: a backend socket of the native loop,
     * or a listening socket, whose accepted sockets inherit it on Linux.
     *
     * @param idle 0 leaves keepalive off
     */
    public static void enable(LinuxCalls calls, int fd, Duration idle) throws IOException {
        if (!idle.isZero()) {
            calls.setKeepalive(fd, seconds(idle), INTERVAL_SECONDS, PROBES);
        }
    }

    private static int seconds(Duration idle) {
        return (int) Math.min(Integer.MAX_VALUE, idle.toSeconds());
    }
}
