package org.ambassadord.plugin.omni;

import java.net.InetAddress;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The running containers, indexed by address, as last learnt from the Docker engine.
 *
 * <p>Written by the events follower's thread only; read by event loop threads without
 * locking. Every change publishes a new immutable {@link Snapshot} through a volatile field,
 * so a reader sees either the old or the new state, never a half-applied one. A host has at
 * most a few hundred containers, so rebuilding the index on each change is cheap.
 */
public final class ContainerDirectory {

    /** One consistent state: containers by id, and the same containers by address. */
    private record Snapshot(Map<String, ContainerRecord> byId, Map<InetAddress, ContainerRecord> byAddress) {
        static Snapshot of(Map<String, ContainerRecord> byId) {
            Map<InetAddress, ContainerRecord> byAddress = new HashMap<>();
            // Two containers reporting one address (a stale entry racing a new container on
            // a reused IP) resolve to the one learnt last: later entries overwrite.
            byId.values().forEach(container -> container.addresses().forEach(a -> byAddress.put(a, container)));
            return new Snapshot(Map.copyOf(byId), Map.copyOf(byAddress));
        }
    }

    private volatile Snapshot snapshot = Snapshot.of(Map.of());

    /** The container that owns an address, from any thread. */
    public Optional<ContainerRecord> byAddress(InetAddress address) {
        return Optional.ofNullable(snapshot.byAddress().get(ClientAddresses.normalise(address)));
    }

    /** A container by name (without Docker's leading slash) or by id or id prefix of 12 or more. */
    Optional<ContainerRecord> byNameOrId(String nameOrId) {
        String wanted = nameOrId.startsWith("/") ? nameOrId.substring(1) : nameOrId;
        return snapshot.byId().values().stream()
                .filter(container -> container.name().equals(wanted)
                        || (wanted.length() >= 12 && container.id().startsWith(wanted)))
                .findFirst();
    }

    Optional<ContainerRecord> byId(String id) {
        return Optional.ofNullable(snapshot.byId().get(id));
    }

    public Collection<ContainerRecord> all() {
        return snapshot.byId().values();
    }

    /** Every backend spec some running container names. */
    Set<String> specsInUse() {
        return snapshot.byId().values().stream()
                .flatMap(container -> container.backendSpecs().values().stream())
                .collect(Collectors.toUnmodifiableSet());
    }

    synchronized void put(ContainerRecord container) {
        Map<String, ContainerRecord> byId = new LinkedHashMap<>(snapshot.byId());
        byId.remove(container.id());
        byId.put(container.id(), container);
        snapshot = Snapshot.of(byId);
    }

    synchronized void remove(String id) {
        if (snapshot.byId().containsKey(id)) {
            Map<String, ContainerRecord> byId = new LinkedHashMap<>(snapshot.byId());
            byId.remove(id);
            snapshot = Snapshot.of(byId);
        }
    }

    /** Replaces everything, after a full listing. */
    synchronized void replaceAll(Collection<ContainerRecord> containers) {
        Map<String, ContainerRecord> byId = new LinkedHashMap<>();
        containers.forEach(container -> byId.put(container.id(), container));
        snapshot = Snapshot.of(byId);
    }
}
