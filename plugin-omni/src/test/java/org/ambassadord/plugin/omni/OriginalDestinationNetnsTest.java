package org.ambassadord.plugin.omni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Optional;

import org.ambassadord.spi.testkit.NetworkNamespaces;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code SO_ORIGINAL_DST} on real redirects: namespace {@code srv} holds the omni listener on
 * port 10000 and the nat rules {@code --setup-iptables} installs; clients in namespace
 * {@code cli} dial other ports of {@code srv}'s addresses. Each connection must land on the
 * listener, and the lookup must report the port that was dialled.
 */
class OriginalDestinationNetnsTest {

    /** What plugin-iptables renders for port 10000 (its golden file install-default.txt). */
    private static final String RULES = """
            *nat
            :AMBASSADORD_PREROUTING - [0:0]
            -A AMBASSADORD_PREROUTING -p tcp -m tcp --dport 10000 -j RETURN
            -A AMBASSADORD_PREROUTING -p tcp -j REDIRECT --to-ports 10000
            -A PREROUTING -p tcp -j AMBASSADORD_PREROUTING
            COMMIT
            """;

    private static NetworkNamespaces namespaces;
    private static String server;
    private static String client;
    private static NetworkNamespaces.Link link;
    private static ServerSocketChannel listener;
    private final LinuxOriginalDestinationLookup lookup = new LinuxOriginalDestinationLookup();

    @BeforeAll
    static void createNamespacesRulesAndListener() throws Exception {
        NetworkNamespaces.requireProgram("iptables-restore", "iptables");
        namespaces = NetworkNamespaces.create();
        server = namespaces.add("srv");
        client = namespaces.add("cli");
        link = namespaces.link(server, client);
        namespaces.restore(server, "iptables-restore", RULES);
        namespaces.restore(server, "ip6tables-restore", RULES);
        // A dual-stack listener, like the relay's: IPv4 clients appear as IPv4 addresses.
        listener = NamespaceThreads.inside(server, ServerSocketChannel::open);
        listener.bind(new InetSocketAddress(10000));
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (listener != null) {
            listener.close();
        }
        if (namespaces != null) {
            namespaces.close();
        }
    }

    @Test
    void reportsTheDialledIpv4PortOfEachRedirectedConnection() throws Exception {
        for (int port : List.of(6379, 8080, 1)) {
            assertEquals(Optional.of(new InetSocketAddress(InetAddress.getByName(link.addressA()), port)),
                    originalDestinationOf(link.addressA(), port), "dialled port " + port);
        }
    }

    @Test
    void reportsTheDialledIpv6Port() throws Exception {
        assertEquals(Optional.of(new InetSocketAddress(InetAddress.getByName(link.address6A()), 6379)),
                originalDestinationOf(link.address6A(), 6379));
    }

    @Test
    void aDirectConnectionReportsTheListenPortItself() throws Exception {
        // The RETURN rule keeps it out of NAT; conntrack still answers with the local address,
        // which the omni backend refuses as "not redirected".
        Optional<InetSocketAddress> original = originalDestinationOf(link.addressA(), 10000);
        assertTrue(original.isEmpty() || original.get().getPort() == 10000, String.valueOf(original));
    }

    @Test
    void withoutNatInTheNamespaceTheLookupIsEmpty() throws Exception {
        try (NetworkNamespaces bare = NetworkNamespaces.create()) {
            String plain = bare.add("bare");
            Optional<InetSocketAddress> original = NamespaceThreads.inside(plain, () -> {
                try (ServerSocketChannel server = ServerSocketChannel.open()
                        .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                     SocketChannel dialer = SocketChannel.open(server.getLocalAddress());
                     SocketChannel accepted = server.accept()) {
                    return lookup.lookup(fd(accepted), (InetSocketAddress) accepted.getRemoteAddress());
                }
            });
            assertEquals(Optional.empty(), original);
        }
    }

    /** Dials from the client namespace, accepts on the listener, and asks the kernel. */
    private Optional<InetSocketAddress> originalDestinationOf(String address, int port) throws Exception {
        try (SocketChannel dialer = NamespaceThreads.inside(client, SocketChannel::open)) {
            dialer.connect(new InetSocketAddress(InetAddress.getByName(address), port));
            try (SocketChannel accepted = listener.accept()) {
                assertEquals(10000, ((InetSocketAddress) accepted.getLocalAddress()).getPort());
                return lookup.lookup(fd(accepted), (InetSocketAddress) accepted.getRemoteAddress());
            }
        }
    }

    /** The descriptor behind a channel, the way core reads it (see the surefire argLine). */
    static int fd(SocketChannel channel) throws Exception {
        Method getFdVal = Class.forName("sun.nio.ch.SelChImpl").getMethod("getFDVal");
        return (Integer) getFdVal.invoke(channel);
    }
}
