package org.ambassadord.plugin.consul;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.ambassadord.spi.ProviderContext;

/**
 * Turns the chosen KV values into resolved socket addresses.
 *
 * <p>A value is {@code host:port}, {@code [v6]:port}, or a comma-separated list of them (the
 * same syntax as a static spec). An invalid value is skipped and reported. A host name that
 * stops resolving keeps the address it last resolved to, so that a DNS hiccup does not take
 * a healthy backend out of rotation; a name that never resolved is skipped.
 *
 * <p><b>Threading.</b> Used by the watcher thread only: name look-ups block, which is why
 * they happen here and never in {@code resolve()}. Not thread-safe.
 */
final class EndpointResolver {

    /** The look-up, replaceable in tests to simulate a failing DNS. */
    interface NameLookup {
        InetAddress lookup(String host) throws UnknownHostException;
    }

    /**
     * The outcome of one pass.
     *
     * @param endpoints distinct resolved addresses, in key order
     * @param problems  one line per skipped value or stale name, for the log
     */
    record Resolution(List<InetSocketAddress> endpoints, List<String> problems) {
        Resolution {
            endpoints = List.copyOf(endpoints);
            problems = List.copyOf(problems);
        }
    }

    private final NameLookup lookup;
    /** Last good address per name; entries of names no longer used are dropped each pass. */
    private Map<String, InetAddress> lastGood = new HashMap<>();

    EndpointResolver() {
        this(InetAddress::getByName);
    }

    EndpointResolver(NameLookup lookup) {
        this.lookup = lookup;
    }

    /** Parses and resolves every chosen value. Blocks on DNS for host names. */
    Resolution resolve(BackendValues values) {
        Set<InetSocketAddress> endpoints = new LinkedHashSet<>();
        List<String> problems = new ArrayList<>();
        Map<String, InetAddress> resolvedNow = new HashMap<>();
        for (KvPair pair : values.values()) {
            for (String item : pair.value().split(",")) {
                if (item.isBlank()) {
                    continue;
                }
                HostPort hostPort;
                try {
                    hostPort = HostPort.parse(item);
                } catch (IllegalArgumentException e) {
                    problems.add("key [" + ProviderContext.printable(pair.key()) + "]: skipped value ["
                            + ProviderContext.printable(item.strip()) + "]: " + ProviderContext.printable(e.getMessage()));
                    continue;
                }
                InetAddress address = address(hostPort.host(), problems, resolvedNow);
                if (address != null) {
                    endpoints.add(new InetSocketAddress(address, hostPort.port()));
                }
            }
        }
        lastGood = resolvedNow;
        return new Resolution(new ArrayList<>(endpoints), problems);
    }

    private InetAddress address(String host, List<String> problems, Map<String, InetAddress> resolvedNow) {
        InetAddress known = resolvedNow.get(host);
        if (known != null) {
            return known;
        }
        Optional<InetAddress> literal = ProviderContext.ipLiteral(host);
        if (literal.isPresent()) {
            return literal.get();
        }
        try {
            InetAddress address = lookup.lookup(host);
            resolvedNow.put(host, address);
            return address;
        } catch (UnknownHostException | SecurityException e) {
            InetAddress stale = lastGood.get(host);
            if (stale == null) {
                problems.add("skipped host [" + ProviderContext.printable(host) + "]: it does not resolve ("
                        + ProviderContext.printable(e.getMessage()) + ")");
                return null;
            }
            problems.add("host [" + ProviderContext.printable(host) + "] does not resolve now; keeping its last address [" + stale.getHostAddress() + "]");
            resolvedNow.put(host, stale);
            return stale;
        }
    }
}
