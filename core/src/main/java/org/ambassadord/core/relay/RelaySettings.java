package org.ambassadord.core.relay;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

import org.ambassadord.core.fairness.FairnessSettings;
import org.ambassadord.core.relay.endpoint.BalancePolicy;
import org.ambassadord.core.relay.loop.EventLoopKind;

/**
 * How a {@link RelayServer} listens and relays.
 *
 * @param bindAddress    the local address to listen on; {@code null} for the wildcard (IPv6
 *                       dual-stack where the host has IPv6, else IPv4)
 * @param ports          the ports to listen on, at least one; 0 picks a free port (tests)
 * @param loops          event loops (threads), one per core by default
 * @param bufferSize     bytes per direction a stalled connection may hold: the size of a
 *                       buffer, or the capacity asked of a pipe
 * @param splice         move bytes with splice(2) where the platform allows it (Linux); false
 *                       forces the buffer path
 * @param connectTimeout how long one backend endpoint may take to accept
 * @param resolveTimeout how long a backend may take to name endpoints for a connection
 * @param balance        how connections are spread over unordered endpoints
 * @param limits         idle and half-close timeouts, keepalive, caps, ejection
 * @param proxyProtocol  the PROXY protocol header sent to backends first, if any
 * @param eventLoop      how the loops poll and make sockets: epoll through jffi where it
 *                       works (Linux), else the JDK's NIO; NIO when asked for
 * @param tls            TLS on the listener ({@code --tls-cert}) and to the backends ({@code --upstream-tls})
 * @param fairness       per-client caps and rates, slow start, per-endpoint caps and their queue
 */
public record RelaySettings(
        InetAddress bindAddress,
        List<Integer> ports,
        int loops,
        int bufferSize,
        boolean splice,
        Duration connectTimeout,
        Duration resolveTimeout,
        BalancePolicy balance,
        RelayLimits limits,
        ProxyProtocol proxyProtocol,
        EventLoopKind eventLoop,
        org.ambassadord.core.tls.TlsHops tls,
        FairnessSettings fairness) {

    /**
     * 128 KiB: on loopback, splicing through 128 KiB pipes moved about 8% more than through
     * 64 KiB ones (bench/), and 256 KiB no more. It is kernel memory, and only while stalled.
     */
    public static final int DEFAULT_BUFFER_SIZE = 128 * 1024;

    public RelaySettings {
        ports = List.copyOf(ports);
        if (ports.isEmpty()) {
            throw new IllegalArgumentException("no port to listen on");
        }
        if (loops < 1) {
            throw new IllegalArgumentException("loops [" + loops + "] must be at least 1");
        }
        if (bufferSize < 1024) {
            throw new IllegalArgumentException("buffer size [" + bufferSize + "] must be at least 1024");
        }
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(resolveTimeout, "resolveTimeout");
        Objects.requireNonNull(balance, "balance");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(proxyProtocol, "proxyProtocol");
        Objects.requireNonNull(eventLoop, "eventLoop");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(fairness, "fairness");
    }

    /** Without fairness rules. */
    public RelaySettings(InetAddress bindAddress, List<Integer> ports, int loops, int bufferSize, boolean splice,
                         Duration connectTimeout, Duration resolveTimeout, BalancePolicy balance, RelayLimits limits,
                         ProxyProtocol proxyProtocol, EventLoopKind eventLoop, org.ambassadord.core.tls.TlsHops tls) {
        this(bindAddress, ports, loops, bufferSize, splice, connectTimeout, resolveTimeout, balance, limits, proxyProtocol,
                eventLoop, tls, FairnessSettings.OFF);
    }

    public RelaySettings withFairness(FairnessSettings rules) {
        return new RelaySettings(bindAddress, ports, loops, bufferSize, splice, connectTimeout, resolveTimeout, balance,
                limits, proxyProtocol, eventLoop, tls, rules);
    }

    /** Without TLS. */
    public RelaySettings(InetAddress bindAddress, List<Integer> ports, int loops, int bufferSize, boolean splice,
                         Duration connectTimeout, Duration resolveTimeout, BalancePolicy balance, RelayLimits limits,
                         ProxyProtocol proxyProtocol, EventLoopKind eventLoop) {
        this(bindAddress, ports, loops, bufferSize, splice, connectTimeout, resolveTimeout, balance, limits, proxyProtocol,
                eventLoop, org.ambassadord.core.tls.TlsHops.NONE);
    }

    public RelaySettings withTls(org.ambassadord.core.tls.TlsHops hops) {
        return new RelaySettings(bindAddress, ports, loops, bufferSize, splice, connectTimeout, resolveTimeout, balance,
                limits, proxyProtocol, eventLoop, hops, fairness);
    }

    /** Defaults for the given ports: wildcard address, one loop per core, splice, random balance. */
    public static RelaySettings defaults(List<Integer> ports) {
        return new RelaySettings(null, ports, Runtime.getRuntime().availableProcessors(), DEFAULT_BUFFER_SIZE, true,
                Duration.ofSeconds(5), Duration.ofSeconds(10), BalancePolicy.RANDOM, RelayLimits.DEFAULTS,
                ProxyProtocol.OFF, EventLoopKind.EPOLL);
    }

    public RelaySettings withBindAddress(InetAddress address) {
        return new RelaySettings(address, ports, loops, bufferSize, splice, connectTimeout, resolveTimeout, balance, limits, proxyProtocol, eventLoop, tls, fairness);
    }

    public RelaySettings withLoops(int loopCount) {
        return new RelaySettings(bindAddress, ports, loopCount, bufferSize, splice, connectTimeout, resolveTimeout, balance, limits, proxyProtocol, eventLoop, tls, fairness);
    }

    public RelaySettings withBufferSize(int bytes) {
        return new RelaySettings(bindAddress, ports, loops, bytes, splice, connectTimeout, resolveTimeout, balance, limits, proxyProtocol, eventLoop, tls, fairness);
    }

    public RelaySettings withSplice(boolean useSplice) {
        return new RelaySettings(bindAddress, ports, loops, bufferSize, useSplice, connectTimeout, resolveTimeout, balance, limits, proxyProtocol, eventLoop, tls, fairness);
    }

    public RelaySettings withConnectTimeout(Duration timeout) {
        return new RelaySettings(bindAddress, ports, loops, bufferSize, splice, timeout, resolveTimeout, balance, limits, proxyProtocol, eventLoop, tls, fairness);
    }

    public RelaySettings withResolveTimeout(Duration timeout) {
        return new RelaySettings(bindAddress, ports, loops, bufferSize, splice, connectTimeout, timeout, balance, limits, proxyProtocol, eventLoop, tls, fairness);
    }

    public RelaySettings withLimits(RelayLimits relayLimits) {
        return new RelaySettings(bindAddress, ports, loops, bufferSize, splice, connectTimeout, resolveTimeout, balance,
                relayLimits, proxyProtocol, eventLoop, tls, fairness);
    }

    public RelaySettings withBalance(BalancePolicy policy) {
        return new RelaySettings(bindAddress, ports, loops, bufferSize, splice, connectTimeout, resolveTimeout, policy, limits, proxyProtocol, eventLoop, tls, fairness);
    }

    public RelaySettings withEventLoop(EventLoopKind kind) {
        return new RelaySettings(bindAddress, ports, loops, bufferSize, splice, connectTimeout, resolveTimeout, balance,
                limits, proxyProtocol, kind, tls, fairness);
    }

    public RelaySettings withProxyProtocol(ProxyProtocol header) {
        return new RelaySettings(bindAddress, ports, loops, bufferSize, splice, connectTimeout, resolveTimeout, balance,
                limits, header, eventLoop, tls, fairness);
    }
}
