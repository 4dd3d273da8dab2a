package org.ambassadord.core.relay.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ambassadord.core.relay.socket.RelaySocket;
import org.ambassadord.core.relay.socket.SocketCalls;

/**
 * The native loop's system-facing half on real loopback sockets: what epoll reports, and the
 * cases NIO would have handled for us (descriptor reuse within a batch, a hang-up on a socket
 * that wants nothing, wake-ups, connect completion by a second connect). Linux only, like the
 * rest of the relay suite: if jffi cannot load, it fails saying why.
 */
class EpollLoopIoTest {

    private EpollLoopIo io;
    private ServerSocketChannel listener;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void open() throws IOException {
        io = new EpollLoopIo(SocketCalls.instance());
        listener = ServerSocketChannel.open();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        listener.configureBlocking(false);
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
        listener.close();
        io.shutdown();
    }

    @Test
    void acceptTellsBothAddressesWithoutAskingTheSocket() throws Exception {
        Socket client = connect();
        LoopIo.Accepted accepted = acceptOne();
        assertEquals(client.getLocalSocketAddress(), accepted.remote());
        assertEquals(listener.getLocalAddress(), accepted.local());
        io.close(null, accepted.socket());
    }

    @Test
    void aWildcardListenersConnectionLearnsItsLocalAddressAndAnIpv4ClientStaysIpv4() throws Exception {
        listener.close();
        listener = ServerSocketChannel.open();
        listener.bind(new InetSocketAddress(0));
        listener.configureBlocking(false);
        int port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
        Socket client = new Socket(InetAddress.getByName("127.0.0.1"), port);
        toClose.add(client);
        LoopIo.Accepted accepted = acceptOne();
        assertInstanceOf(Inet4Address.class, accepted.remote().getAddress(), "IPv4-mapped read back as IPv4");
        assertEquals(new InetSocketAddress("127.0.0.1", port), accepted.local());
        io.close(null, accepted.socket());
    }

    @Test
    void readinessReachesTheHandlerAndBytesTheBuffer() throws Exception {
        Socket client = connect();
        LoopIo.Accepted accepted = acceptOne();
        List<Integer> ready = new ArrayList<>();
        Registration registration = io.register(accepted.socket(), SelectionKey.OP_READ, handler(ready));
        client.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
        io.select(2_000, (r, ops) -> r.handler().onReady(r, ops));
        assertEquals(List.of(SelectionKey.OP_READ), ready);
        ByteBuffer buffer = ByteBuffer.allocateDirect(64);
        assertEquals(5, accepted.socket().read(buffer));
        assertEquals(0, accepted.socket().read(buffer), "nothing more waits: 0, not end of stream");
        assertEquals("hello", StandardCharsets.US_ASCII.decode(buffer.flip()).toString());
        io.close(registration, accepted.socket());
    }

    @Test
    void thePeersFinIsSeenWithItsLastBytes() throws Exception {
        Socket client = connect();
        LoopIo.Accepted accepted = acceptOne();
        Registration registration = io.register(accepted.socket(), SelectionKey.OP_READ, handler(new ArrayList<>()));
        client.getOutputStream().write("bye".getBytes(StandardCharsets.US_ASCII));
        client.shutdownOutput();
        Thread.sleep(50);
        assertFalse(accepted.socket().peerShutdownSeen(), "not before the poller reported it");
        io.select(2_000, (r, ops) -> { });
        assertTrue(accepted.socket().peerShutdownSeen(), "EPOLLRDHUP came with the bytes");
        io.close(registration, accepted.socket());
    }

    @Test
    void aHangUpOnASocketThatWantsNothingDoesNotWakeTheLoop() throws Exception {
        Socket client = connect();
        LoopIo.Accepted accepted = acceptOne();
        List<Integer> ready = new ArrayList<>();
        Registration registration = io.register(accepted.socket(), SelectionKey.OP_READ, handler(ready));
        registration.interestOps(0);
        client.setSoLinger(true, 0);
        client.close();
        long began = System.nanoTime();
        io.select(200, (r, ops) -> r.handler().onReady(r, ops));
        assertTrue(ready.isEmpty(), "no readiness for a socket with no interest: " + ready);
        assertTrue(System.nanoTime() - began >= Duration.ofMillis(150).toNanos(), "the wait was not cut short by the reset");
        registration.interestOps(SelectionKey.OP_READ);
        io.select(2_000, (r, ops) -> r.handler().onReady(r, ops));
        assertEquals(List.of(SelectionKey.OP_READ), ready, "the reset shows once the socket wants to read again");
        assertThrows(IOException.class, () -> accepted.socket().read(ByteBuffer.allocateDirect(16)));
        io.close(registration, accepted.socket());
    }

    /**
     * Two readable sockets in one batch; the first handler closes the other and registers a
     * new connection, which gets the closed one's descriptor. The stale event must not reach
     * the new handler.
     */
    @Test
    void anEventForADescriptorClosedAndReusedInTheSameBatchIsDropped() throws Exception {
        Socket firstClient = connect();
        LoopIo.Accepted first = acceptOne();
        Socket secondClient = connect();
        LoopIo.Accepted second = acceptOne();
        Socket thirdClient = connect();
        List<String> calls = new ArrayList<>();
        List<Registration> registrations = new ArrayList<>();
        List<LoopIo.Accepted> sockets = List.of(first, second);
        for (int i = 0; i < 2; i++) {
            int index = i;
            registrations.add(io.register(sockets.get(i).socket(), SelectionKey.OP_READ, handler(ready -> {
                calls.add("socket " + index);
                if (calls.size() > 1) {
                    return; // level-triggered: the byte is still unread; swap once
                }
                int other = 1 - index;
                int freed = sockets.get(other).socket().fd();
                io.close(registrations.get(other), sockets.get(other).socket());
                try {
                    LoopIo.Accepted third = acceptOne();
                    assertEquals(freed, third.socket().fd(), "the new connection reuses the closed descriptor");
                    io.register(third.socket(), SelectionKey.OP_READ, handler(again -> calls.add("new connection")));
                    toClose.add(third.socket()::closeQuietly);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            })));
        }
        firstClient.getOutputStream().write(1);
        secondClient.getOutputStream().write(2);
        thirdClient.getOutputStream().write(3);
        Thread.sleep(50);
        io.select(2_000, (r, ops) -> r.handler().onReady(r, ops));
        assertEquals(1, calls.size(), "one handler ran; the stale event was dropped: " + calls);
        io.select(2_000, (r, ops) -> r.handler().onReady(r, ops));
        io.select(100, (r, ops) -> r.handler().onReady(r, ops));
        assertTrue(calls.contains("new connection"), "the new connection's own event comes next: " + calls);
    }

    @Test
    void aWakeupEndsAnEndlessWait() throws Exception {
        Thread waker = new Thread(() -> {
            sleep(100);
            io.wakeup();
        });
        waker.start();
        long began = System.nanoTime();
        io.select(0, (r, ops) -> { });
        assertTrue(System.nanoTime() - began < Duration.ofSeconds(5).toNanos());
        waker.join();
        // The wake-up was consumed: the next wait runs its full time.
        began = System.nanoTime();
        io.select(100, (r, ops) -> { });
        assertTrue(System.nanoTime() - began >= Duration.ofMillis(80).toNanos());
    }

    /**
     * A wake-up from another thread after shutdown must not write to the eventfd's old
     * descriptor number, which a new socket may have been given: that socket's peer would
     * receive eight stray bytes.
     */
    @Test
    void aWakeupAfterShutdownWritesNowhere() throws Exception {
        java.util.Set<Integer> before = eventFds();
        EpollLoopIo other = new EpollLoopIo(SocketCalls.instance());
        java.util.Set<Integer> created = eventFds();
        created.removeAll(before);
        assertEquals(1, created.size(), "the loop's eventfd: " + created);
        int eventFd = created.iterator().next();
        other.shutdown();
        Socket reusing = null;
        for (int i = 0; i < 10 && reusing == null; i++) {
            Socket client = connect();
            LoopIo.Accepted accepted = acceptOne();
            toClose.add(accepted.socket()::closeQuietly);
            if (accepted.socket().fd() == eventFd) {
                reusing = client;
            }
        }
        assertNotNull(reusing, "no new socket was given the eventfd's number " + eventFd);
        other.wakeup();
        Socket peer = reusing;
        peer.setSoTimeout(300);
        assertThrows(java.net.SocketTimeoutException.class, () -> peer.getInputStream().read(),
                "the socket that now has the eventfd's number received nothing");
    }

    /** This process's eventfd descriptors, from /proc/self/fd. */
    private static java.util.Set<Integer> eventFds() throws IOException {
        java.util.Set<Integer> found = new java.util.HashSet<>();
        try (java.util.stream.Stream<Path> fds = java.nio.file.Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    if (java.nio.file.Files.readSymbolicLink(fd).toString().contains("eventfd")) {
                        found.add(Integer.parseInt(fd.getFileName().toString()));
                    }
                } catch (IOException gone) {
                    // the listing's own descriptor, closed by now
                }
            }
        }
        return found;
    }

    @Test
    void aConnectCompletesOrFailsThroughASecondConnect() throws Exception {
        InetSocketAddress listening = (InetSocketAddress) listener.getLocalAddress();
        RelaySocket socket = io.open(listening, Duration.ofMinutes(2));
        boolean connected = socket.connect(listening);
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!connected && System.nanoTime() < deadline) {
            Thread.sleep(5);
            connected = socket.finishConnect();
        }
        assertTrue(connected);
        assertNotNull(acceptOne());
        socket.closeQuietly();

        InetSocketAddress refused;
        try (ServerSocket released = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            refused = (InetSocketAddress) released.getLocalSocketAddress();
        }
        RelaySocket failing = io.open(refused, Duration.ZERO);
        IOException error = assertThrows(IOException.class, () -> {
            boolean done = failing.connect(refused);
            long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!done && System.nanoTime() < until) {
                Thread.sleep(5);
                done = failing.finishConnect();
            }
        });
        assertTrue(error.getMessage().contains("Connection refused"), error.getMessage());
        failing.closeQuietly();
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.connect(listener.getLocalAddress());
        toClose.add(socket);
        return socket;
    }

    private LoopIo.Accepted acceptOne() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            LoopIo.Accepted accepted = io.accept(listener, false);
            if (accepted != null) {
                return accepted;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("nothing to accept");
    }

    private static SelectionHandler handler(List<Integer> ready) {
        return handler(ready::add);
    }

    private static SelectionHandler handler(java.util.function.IntConsumer onReady) {
        return new SelectionHandler() {
            @Override
            public void onReady(Registration registration, int readyOps) {
                onReady.accept(readyOps);
            }

            @Override
            public void close() {
            }
        };
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
