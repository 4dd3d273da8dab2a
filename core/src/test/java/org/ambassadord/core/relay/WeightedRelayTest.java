package org.ambassadord.core.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.ambassadord.core.logging.RefusalLog;
import org.ambassadord.core.relay.endpoint.BalancePolicy;
import org.ambassadord.spi.Backend;
import org.ambassadord.spi.ClientConnection;
import org.junit.jupiter.api.Test;

/**
 * Endpoint weights through the relay (issue 23): a backend that weighs its two endpoints 1:3
 * gets the heavier one 65–85 % of 400 real connections, under both balance policies and on two
 * loops; weight 0 gets none.
 */
class WeightedRelayTest {

    /** Two endpoints, weighed by the test. */
    private record Weighed(InetSocketAddress light, int lightWeight, InetSocketAddress heavy, int heavyWeight) implements Backend {
        @Override
        public CompletionStage<List<InetSocketAddress>> resolve(ClientConnection connection) {
            return CompletableFuture.completedFuture(List.of(light, heavy));
        }

        @Override
        public int weightOf(InetSocketAddress endpoint) {
            return endpoint.equals(heavy) ? heavyWeight : lightWeight;
        }

        @Override
        public Set<Integer> listenPorts() {
            return Set.of(0);
        }

        @Override
        public void close() {
        }
    }

    @Test
    void oneToThreeGivesTheHeavierEndpointItsShareUnderBothPolicies() throws Exception {
        for (BalancePolicy policy : BalancePolicy.values()) {
            double share = heavyShare(policy, 1, 3, 400);
            assertTrue(share >= 0.65 && share <= 0.85, policy + ": the heavier endpoint took " + share);
        }
    }

    @Test
    void weightZeroTakesNoNewConnections() throws Exception {
        assertEquals(1.0, heavyShare(BalancePolicy.ROUND_ROBIN, 0, 1, 100));
    }

    private static double heavyShare(BalancePolicy policy, int lightWeight, int heavyWeight, int connections) throws Exception {
        try (TestServers.Server light = new TestServers.Server(WeightedRelayTest::hello);
             TestServers.Server heavy = new TestServers.Server(WeightedRelayTest::hello)) {
            RelaySettings settings = RelaySettings.defaults(List.of(0)).withBindAddress(InetAddress.getLoopbackAddress())
                    .withLoops(2).withBalance(policy).withResolveTimeout(Duration.ofSeconds(2));
            RelayServer relay = RelayServer.start(new Weighed(light.address(), lightWeight, heavy.address(), heavyWeight),
                    settings, Optional.empty(), new RefusalLog());
            try {
                for (int i = 0; i < connections; i++) {
                    assertEquals("hello", TestServers.exchange(relay));
                }
            } finally {
                relay.close();
            }
            assertEquals(connections, light.acceptedCount() + heavy.acceptedCount());
            return heavy.acceptedCount() / (double) connections;
        }
    }

    private static void hello(java.net.Socket socket) {
        try (socket) {
            socket.getOutputStream().write("hello".getBytes());
        } catch (IOException ignored) {
            // the test reads what arrived
        }
    }
}
