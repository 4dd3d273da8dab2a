package org.ambassadord.core.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.ambassadord.core.accesslog.AccessLog;
import org.ambassadord.core.logging.RefusalLog;
import org.ambassadord.spi.OriginalDestinationLookup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ambassadord.core.relay.stats.RelayObservers;

/**
 * One connection's failure is that connection's only: whatever a backend, a lookup or a
 * handler throws, the loop and its acceptor go on; only a fatal JVM error stops a loop, and
 * then the server's listener hears why.
 */
class LoopRobustnessTest {

    private TestServers.Server backend;
    private RelayServer relay;
    private final AtomicReference<String> death = new AtomicReference<>();

    @AfterEach
    void close() throws Exception {
        if (relay != null) {
            relay.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    private void start(FixedBackend fixed, Optional<OriginalDestinationLookup> lookup) throws IOException {
        RelaySettings settings = RelaySettings.defaults(List.of(0)).withBindAddress(InetAddress.getLoopbackAddress())
                .withLoops(1);
        relay = RelayServer.start(fixed, settings, lookup, new RelayObservers(new RefusalLog(), AccessLog.OFF, death::set));
    }

    private InetSocketAddress helloServer() throws IOException {
        backend = new TestServers.Server(socket -> {
            try (socket) {
                socket.getOutputStream().write("hello".getBytes());
            } catch (IOException ignored) {
                // the client reads what arrived
            }
        });
        return backend.address();
    }

    private String exchange() throws IOException {
        return TestServers.exchange(relay);
    }

    /** Before: an Error escaped the handler and killed the loop; every later connection hung. */
    @Test
    void anErrorFromABackendClosesThatConnectionOnly() throws Exception {
        InetSocketAddress hello = helloServer();
        AtomicInteger calls = new AtomicInteger();
        start(FixedBackend.resolvingWith(connection -> {
            if (calls.incrementAndGet() == 1) {
                throw new StackOverflowError("test: one connection's bug");
            }
            return CompletableFuture.completedFuture(List.of(hello));
        }), Optional.empty());
        assertEquals("", exchange());
        assertEquals("hello", exchange());
        assertEquals(1, relay.metrics().loopsAlive());
        assertEquals(null, death.get());
    }

    /** Before: the exception reached the acceptor's handler and the loop closed the listener. */
    @Test
    void aLookupThatThrowsNeverClosesTheAcceptor() throws Exception {
        InetSocketAddress hello = helloServer();
        AtomicInteger lookups = new AtomicInteger();
        FixedBackend omniLike = FixedBackend.resolvingWith(connection -> CompletableFuture.completedFuture(List.of(hello)))
                .needingOriginalDestination();
        start(omniLike, Optional.of((fd, client) -> {
            if (lookups.incrementAndGet() == 1) {
                throw new IllegalStateException("test: a plugin's lookup failed");
            }
            return Optional.empty();
        }));
        assertEquals("", exchange());
        assertEquals("hello", exchange());
        assertTrue(relay.isListening());
    }

    @Test
    void aFatalErrorStopsTheLoopAndSaysWhy() throws Exception {
        start(FixedBackend.resolvingWith(connection -> {
            throw new InternalError("test: the JVM is broken");
        }), Optional.empty());
        try (Socket client = new Socket()) {
            client.connect(relay.listenAddresses().get(0), 2000);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (death.get() == null && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals("relay-0 died: java.lang.InternalError: test: the JVM is broken", death.get());
        assertEquals(0, relay.metrics().loopsAlive());
    }
}
