package org.ambassadord.spi;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Services the host process offers to providers and their backends.
 *
 * <p>New capabilities arrive here as default methods, never as new abstract methods, so
 * that plugins compiled against an older SPI keep working.
 */
public interface ProviderContext {

    /**
     * The address of an IP literal, or empty for a host name: {@code 10.0.0.1}, or IPv6 without
     * brackets with an optional zone ({@code fe80::1%eth0}). One pass over the text, no regular
     * expression and no name service, whatever the text holds; for every parser of text from
     * outside (a spec, a store's value, a container's variable). Any thread, no I/O.
     *
     * @throws IllegalArgumentException with a one-line reason quoting the text, when it has
     *         the shape of a literal (a colon, or only digits and dots) but is not a valid one:
     *         such text is never a host name, and must not be looked up as one
     */
    static Optional<InetAddress> ipLiteral(String host) {
        return IpLiterals.parse(host);
    }

    /**
     * Text from outside (a container's variable or label, a store's key or value, a DNS name,
     * an engine's or agent's error body) made safe for one log line or message: control
     * characters become visible escapes ({@code \\n}, {@code \\u001b}), a backslash is doubled,
     * so a newline cannot start a forged entry and an escape sequence cannot repaint the
     * operator's terminal; text longer than 512 characters is cut and says its length. One pass,
     * any thread; the same escaper the host uses for its own lines.
     *
     * @since 0.3 (a static method: existing plugins need no change)
     */
    static String printable(String text) {
        return PrintableText.escape(text);
    }

    /**
     * Opens a nested spec through the same dispatcher as the command line, so that a backend
     * can delegate to any installed provider (omni mode opens a container's
     * {@code BACKEND_6379=etcd://…} this way). The caller closes the returned backend.
     * May block; never call it on an event loop thread.
     *
     * @throws BackendSpecException when no provider serves the spec or the spec is malformed
     */
    Backend open(String spec) throws BackendSpecException;

    /**
     * A shared scheduler for background work (re-resolving names, polling, retry with
     * backoff). Its threads are daemon threads and never event loop threads, so blocking I/O
     * is allowed there, but a task should not hold a thread for long: long-running loops
     * (watches, blocking queries) belong on the provider's own threads. Do not shut it down.
     */
    ScheduledExecutorService scheduler();

    /**
     * The process environment as the provider should see it: {@link System#getenv()} in
     * production, an injected map in tests (links mode reads Docker's link variables here,
     * the Consul provider its {@code CONSUL_HTTP_TOKEN}).
     */
    Map<String, String> environment();

    /**
     * A context for opening specs that a client container chose (omni mode's
     * {@code BACKEND_<port>} or {@code connect.<port>}), not the operator. Whatever a
     * container writes is untrusted: the returned context applies the operator's policy for
     * container-chosen specs to everything opened through it — which schemes a container may
     * use, which upstream addresses its endpoints may have (checked on every endpoint of every
     * connection, whatever the provider answered), how many nested backends it may hold, and
     * to which hosts the operator's credentials may be sent ({@link #mayAuthenticateTo}).
     * Its {@link #open} refuses with a {@link BackendSpecException} naming the rule, or throws
     * an {@link IllegalStateException} when a cap is reached (a later attempt may succeed).
     *
     * <p>Backends that open specs on a container's behalf must use this, never {@link #open}.
     * Any thread but an event loop; does no I/O. The default, for hosts that have no such
     * policy, opens nothing, so a container can never borrow the operator's powers.
     *
     * @param containerId   the container's full id, which caps are counted against
     * @param containerName its name, for messages (untrusted text)
     */
    default ProviderContext forContainer(String containerId, String containerName) {
        ProviderContext operator = this;
        return new ProviderContext() {
            @Override
            public Backend open(String spec) throws BackendSpecException {
                throw new BackendSpecException("this host has no policy for container-chosen specs, so it opens none");
            }

            @Override
            public ScheduledExecutorService scheduler() {
                return operator.scheduler();
            }

            @Override
            public Map<String, String> environment() {
                return Map.of();
            }

            @Override
            public boolean mayAuthenticateTo(String host, int port) {
                return false;
            }

            @Override
            public boolean containerChosen() {
                return true;
            }
        };
    }

    /**
     * Whether this context opens specs a client container chose ({@link #forContainer}), not
     * the operator: a provider that can reach other containers must then stay within what the
     * asking container could reach itself (its own Docker networks). Any thread.
     *
     * @since 0.5 (a default method: existing plugins need no change)
     */
    default boolean containerChosen() {
        return false;
    }

    /**
     * Whether a backend opened through this context may send the operator's credentials (an
     * ACL token, a client certificate, a password from {@link #environment()}) to a host.
     * Always true for the operator's own spec; for a {@linkplain #forContainer container's}
     * spec only for the hosts the operator named ({@code --credential-hosts}). A provider
     * that is refused connects without credentials rather than failing. Any thread; never
     * blocks.
     *
     * @param host the host as the spec names it (a name or an address literal)
     * @param port the port the provider will connect to
     */
    default boolean mayAuthenticateTo(String host, int port) {
        return true;
    }

    /**
     * Why a backend opened through this context may not connect to {@code address} for the
     * spec's own traffic (the Consul or etcd agent it reads, a DNS server it asks), or empty
     * when it may: the rules its endpoints are held to. The operator's context allows every
     * address; a container's ({@link #forContainer}) denies what the operator's policy for
     * container-chosen specs denies: this ambassador's own addresses and loopback, link-local
     * and cloud metadata addresses, {@code --deny-upstream}. Providers ask with each address
     * such a connection may use, resolved, before they connect. Any thread; no I/O.
     *
     * @param address the resolved address and port about to be connected to
     */
    default Optional<String> controlDenial(InetSocketAddress address) {
        return Optional.empty();
    }

    /**
     * {@link #controlDenial(InetSocketAddress)} for a host as a spec names it, with the reason
     * naming the address: an IP literal is checked as it is; a name is resolved first, which
     * blocks (a provider's own thread only), and each of its addresses is checked. A name that
     * does not resolve is not denied here: the connection fails on its own and says so.
     *
     * @param host a host name or an IP literal (IPv6 without brackets)
     * @param port the port about to be connected to
     */
    default Optional<String> controlDenial(String host, int port) {
        InetAddress[] addresses;
        Optional<InetAddress> literal = ipLiteral(host);
        if (literal.isPresent()) {
            addresses = new InetAddress[] {literal.get()};
        } else {
            try {
                addresses = InetAddress.getAllByName(host);
            } catch (java.net.UnknownHostException | SecurityException unresolved) {
                return Optional.empty();
            }
        }
        for (InetAddress address : addresses) {
            Optional<String> denial = controlDenial(new InetSocketAddress(address, port));
            if (denial.isPresent()) {
                return Optional.of("[" + host + ":" + port + "] is at [" + address.getHostAddress() + "]: " + denial.get());
            }
        }
        return Optional.empty();
    }
}
