package org.ambassadord.core.policy;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.tinylog.Logger;

/**
 * This host's (in a container: this network namespace's) interface addresses, which a
 * container-chosen spec may not target: connecting to them reaches the ambassador itself,
 * its admin port, or whatever else listens beside it. Enumerated at start and again every
 * 30 s on the background scheduler (a container can be connected to a new network while
 * running), never on an event loop.
 */
public final class LocalAddresses implements Supplier<Set<InetAddress>> {

    private static final long REFRESH_SECONDS = 30;

    private volatile Set<InetAddress> current;

    private LocalAddresses() {
        current = enumerate();
    }

    /** Enumerates now and keeps the set fresh on the scheduler. */
    public static LocalAddresses watched(ScheduledExecutorService scheduler) {
        LocalAddresses addresses = new LocalAddresses();
        scheduler.scheduleWithFixedDelay(() -> addresses.current = enumerate(), REFRESH_SECONDS, REFRESH_SECONDS,
                TimeUnit.SECONDS);
        return addresses;
    }

    @Override
    public Set<InetAddress> get() {
        return current;
    }

    private static Set<InetAddress> enumerate() {
        Set<InetAddress> found = new HashSet<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    // Scope ids make fe80::1%eth0 unequal to fe80::1; link-local is denied anyway.
                    found.add(InetAddress.getByAddress(address.getAddress()));
                }
            }
        } catch (SocketException | java.net.UnknownHostException e) {
            Logger.warn("cannot list this host's addresses ({}); only the built-in ranges are denied", e.getMessage());
        }
        return Set.copyOf(found);
    }
}
