package org.ambassadord.core.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.ambassadord.core.logging.RefusalLog;
import org.ambassadord.core.policy.PolicedBackend;
import org.ambassadord.core.policy.UpstreamPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code --deny-upstream} / {@code --allow-upstream} on the operator's own spec, through the
 * real relay: a denied endpoint is refused (logged once) and never connected to.
 */
class UpstreamPolicyRelayTest {

    private TestServers.Server backend;
    private RelayServer relay;

    @AfterEach
    void close() throws Exception {
        if (relay != null) {
            relay.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    private RelayServer relayTo(String deny, String allow, RefusalLog refusals) throws IOException {
        backend = new TestServers.Server(socket -> {
            try (socket) {
                socket.getOutputStream().write("hello".getBytes());
            } catch (IOException ignored) {
                // the test reads what arrived
            }
        });
        UpstreamPolicy policy = UpstreamPolicy.forOperator(
                UpstreamPolicy.rules("--deny-upstream", deny.isEmpty() ? List.of() : List.of(deny)),
                UpstreamPolicy.rules("--allow-upstream", allow.isEmpty() ? List.of() : List.of(allow)));
        RelaySettings settings = RelaySettings.defaults(List.of(0)).withBindAddress(InetAddress.getLoopbackAddress())
                .withLoops(1).withResolveTimeout(Duration.ofSeconds(2));
        relay = RelayServer.start(new PolicedBackend(FixedBackend.of(backend.address()), policy, () -> { }), settings,
                Optional.empty(), refusals);
        return relay;
    }

    @Test
    void aDeniedEndpointIsRefusedWithoutAConnect() throws Exception {
        RefusalLog refusals = new RefusalLog();
        relayTo("127.0.0.0/8", "", refusals);
        assertEquals("", TestServers.exchange(relay));
        assertEquals("", TestServers.exchange(relay));
        assertEquals(0, backend.acceptedCount(), "the denied backend was connected to");
        assertEquals(1, refusals.logged());
        assertEquals(1, refusals.suppressed());
        assertEquals(2, relay.stats().refused());
    }

    @Test
    void anAllowedEndpointIsRelayed() throws Exception {
        relayTo("10.0.0.0/8", "127.0.0.1", new RefusalLog());
        assertEquals("hello", TestServers.exchange(relay));
        assertEquals(1, backend.acceptedCount());
    }

    @Test
    void anAllowListWithoutTheEndpointRefusesIt() throws Exception {
        relayTo("", "10.0.0.0/8", new RefusalLog());
        assertEquals("", TestServers.exchange(relay));
        assertEquals(0, backend.acceptedCount());
    }
}
