package org.ambassadord.plugin.srv;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.Arrays;

/**
 * A UDP DNS proxy in front of dnsmasq that lets a test hold a query: the test
 * {@linkplain #receive() takes} a query, checks what the code under test does while it
 * waits, then {@linkplain #answer(DatagramPacket) answers} it from dnsmasq.
 */
final class HoldingDnsProxy implements AutoCloseable {

    private static final int TIMEOUT_MILLIS = 10_000;

    private final DatagramSocket socket;
    private final InetSocketAddress upstream;
    private volatile Thread forwarder;

    HoldingDnsProxy(int upstreamPort) throws SocketException {
        this.socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        this.socket.setSoTimeout(TIMEOUT_MILLIS);
        this.upstream = new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort);
    }

    int port() {
        return socket.getLocalPort();
    }

    /** The next query, waiting up to 10 seconds. */
    DatagramPacket receive() throws IOException {
        DatagramPacket query = new DatagramPacket(new byte[4096], 4096);
        socket.receive(query);
        return query;
    }

    /** Asks dnsmasq and sends its response to whoever sent the query. */
    void answer(DatagramPacket query) throws IOException {
        try (DatagramSocket client = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            client.setSoTimeout(TIMEOUT_MILLIS);
            client.send(new DatagramPacket(query.getData(), query.getLength(), upstream));
            DatagramPacket response = new DatagramPacket(new byte[4096], 4096);
            client.receive(response);
            socket.send(new DatagramPacket(Arrays.copyOf(response.getData(), response.getLength()),
                    response.getLength(), query.getSocketAddress()));
        }
    }

    /** From now on answers every query at once, on a daemon thread. */
    void forwardEverything() {
        Thread thread = new Thread(() -> {
            while (!socket.isClosed()) {
                try {
                    answer(receive());
                } catch (IOException closedOrIdle) {
                    // closed by close(), or nothing asked within the time-out: loop and check
                }
            }
        }, "holding-dns-proxy");
        thread.setDaemon(true);
        forwarder = thread;
        thread.start();
    }

    @Override
    public void close() {
        socket.close();
        Thread thread = forwarder;
        if (thread != null) {
            try {
                thread.join(TIMEOUT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
