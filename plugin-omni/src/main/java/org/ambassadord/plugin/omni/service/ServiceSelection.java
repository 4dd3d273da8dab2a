package org.ambassadord.plugin.omni.service;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.ambassadord.plugin.omni.ContainerFacts;
import org.ambassadord.plugin.omni.ContainerRecord;
import org.ambassadord.plugin.omni.NetworkAttachment;

/**
 * Which containers serve a {@code docker://} spec right now, at which address, and why every
 * other match is left out. A pure function of the directory, so the event loop can run it
 * on each connection (a host has hundreds of containers at most).
 *
 * <p>Matching: the containers labelled {@code com.docker.compose.service=SERVICE}; of one project: the spec's,
 * else the ambassador's own, else the only one there is — projects are never mixed. Only
 * when no container carries the label: a container named {@code SERVICE}, or with that alias
 * on a user-defined network.
 */
public final class ServiceSelection {

    /** One container or task that serves, and what {@code --check} says of it. */
    public record Member(InetSocketAddress endpoint, String description) {
    }

    /**
     * @param members  the containers that serve, with their endpoints
     * @param leftOut  each matching container that does not serve, and why
     * @param refusal  why no container may serve (projects that would mix), else empty
     */
    public record Result(List<Member> members, Map<String, String> leftOut, Optional<String> refusal) {
    }

    private ServiceSelection() {
    }

    /**
     * @param self  the ambassador's own container, when it runs in one of this engine's
     * @param asker in omni mode, the container that asked for the spec: only networks it is
     *              attached to are used, so the ambassador cannot reach past Docker's isolation
     */
    public static Result select(ServiceSpec spec, Collection<ContainerRecord> all, Optional<ContainerRecord> self,
                                Optional<ContainerRecord> asker) {
        List<ContainerRecord> candidates;
        List<ContainerRecord> labelled = all.stream().filter(c -> c.facts().composeService().equals(spec.service())).toList();
        if (labelled.isEmpty()) {
            candidates = all.stream().filter(c -> namedOrAliased(c, spec.service())).toList();
        } else {
            Optional<String> project = spec.project().or(() -> self.map(c -> c.facts().composeProject()).filter(p -> !p.isEmpty()));
            if (project.isPresent()) {
                String wanted = project.get();
                candidates = labelled.stream().filter(c -> c.facts().composeProject().equals(wanted)).toList();
            } else {
                Set<String> projects = labelled.stream().map(c -> c.facts().composeProject()).collect(Collectors.toCollection(TreeSet::new));
                if (projects.size() > 1) {
                    return new Result(List.of(), Map.of(), Optional.of("service [" + spec.service() + "] is in Compose projects "
                            + projects + ": name one with ?project="));
                }
                candidates = labelled;
            }
        }
        List<Member> members = new ArrayList<>();
        Map<String, String> leftOut = new LinkedHashMap<>();
        for (ContainerRecord container : candidates) {
            String why = whyNot(spec, container);
            if (why != null) {
                leftOut.put(container.describe(), why);
                continue;
            }
            Optional<NetworkAttachment> network = networkFor(spec, container.facts().networks(), self, asker);
            if (network.isEmpty()) {
                leftOut.put(container.describe(), noNetwork(spec, networkNames(container.facts().networks()), self, asker));
                continue;
            }
            Optional<InetAddress> address = network.get().address();
            if (address.isEmpty()) {
                leftOut.put(container.describe(), "no address on network [" + network.get().network() + "]");
                continue;
            }
            Set<Integer> exposed = container.facts().exposedPorts();
            int port;
            if (spec.port().isPresent()) {
                port = spec.port().getAsInt();
            } else if (exposed.size() == 1) {
                port = exposed.iterator().next();
            } else {
                leftOut.put(container.describe(), exposed.isEmpty() ? "exposes no port: name one (docker://" + spec.service() + ":PORT)"
                        : "exposes ports " + new TreeSet<>(exposed) + ": name one (docker://" + spec.service() + ":PORT)");
                continue;
            }
            String health = container.facts().health();
            members.add(new Member(new InetSocketAddress(address.get(), port), "container " + container.describe() + ", "
                    + container.facts().state() + (health.isEmpty() ? ", no health check" : ", " + health)));
        }
        return new Result(List.copyOf(members), leftOut, Optional.empty());
    }

    private static boolean namedOrAliased(ContainerRecord container, String name) {
        if (container.name().equals(name)) {
            return true;
        }
        return container.facts().networks().stream().anyMatch(n -> n.userDefined() && n.aliases().contains(name));
    }

    /** Why a matching container gets no connection, or null when it may. */
    private static String whyNot(ServiceSpec spec, ContainerRecord container) {
        ContainerFacts facts = container.facts();
        if (!facts.state().equals("running")) {
            return facts.state();
        }
        if (spec.requireHealthy() && !facts.health().isEmpty() && !facts.health().equals("healthy")) {
            return "health " + facts.health();
        }
        return null;
    }

    /**
     * The running tasks of a Swarm service, by their address on a network the ambassador (or,
     * in omni mode, the asking container) shares. A task whose service has a health check stays
     * {@code starting} until the check passes and is replaced when it fails, so a
     * {@code running} task is a healthy one; where its container runs on this node and is
     * already reported unhealthy (the kill is on its way), it is left out at once.
     *
     * @param local this engine's containers, for the health of tasks on this node
     */
    public static Result selectTasks(ServiceSpec spec, List<SwarmTask> tasks, Collection<ContainerRecord> local,
                                     Optional<ContainerRecord> self, Optional<ContainerRecord> asker) {
        List<Member> members = new ArrayList<>();
        Map<String, String> leftOut = new LinkedHashMap<>();
        for (SwarmTask task : tasks) {
            if (!task.desiredState().equals("running")) {
                continue; // history: shut-down tasks the manager still lists
            }
            Optional<ContainerRecord> container = task.containerId()
                    .flatMap(id -> local.stream().filter(c -> c.id().equals(id)).findFirst());
            String health = container.map(c -> c.facts().health()).orElse("");
            if (!task.state().equals("running")) {
                leftOut.put(task.describe(), "task " + task.state() + (task.state().equals("starting") ? " (health check not passed yet)" : ""));
                continue;
            }
            if (spec.requireHealthy() && !health.isEmpty() && !health.equals("healthy")) {
                leftOut.put(task.describe(), "health " + health);
                continue;
            }
            Optional<NetworkAttachment> network = networkFor(spec, task.networks(), self, asker);
            if (network.isEmpty()) {
                leftOut.put(task.describe(), noNetwork(spec, networkNames(task.networks()), self, asker));
                continue;
            }
            Optional<InetAddress> address = network.get().address();
            Set<Integer> exposed = container.map(c -> c.facts().exposedPorts()).orElse(Set.of());
            if (address.isEmpty()) {
                leftOut.put(task.describe(), "no address on network [" + network.get().network() + "]");
            } else if (spec.port().isEmpty() && exposed.size() != 1) {
                leftOut.put(task.describe(), "no port named: name one (docker://" + spec.service() + ":PORT?swarm)"
                        + (exposed.isEmpty() ? "" : "; it exposes " + new TreeSet<>(exposed)));
            } else {
                int port = spec.port().orElseGet(() -> exposed.iterator().next());
                members.add(new Member(new InetSocketAddress(address.get(), port), "task " + task.describe() + ", running"
                        + (health.isEmpty() ? "" : ", " + health) + ", on network [" + network.get().network() + "]"));
            }
        }
        return new Result(List.copyOf(members), leftOut, Optional.empty());
    }

    /** The network to reach it on: the spec's, else one the asker (omni) or the ambassador shares, else any. */
    private static Optional<NetworkAttachment> networkFor(ServiceSpec spec, List<NetworkAttachment> networks,
                                                          Optional<ContainerRecord> self, Optional<ContainerRecord> asker) {
        List<NetworkAttachment> usable = networks.stream()
                .filter(n -> spec.network().map(n.network()::equals).orElse(true))
                .filter(n -> asker.map(a -> attachedTo(a, n.network())).orElse(true))
                .filter(n -> asker.isPresent() || self.map(s -> attachedTo(s, n.network())).orElse(true))
                .filter(n -> n.address().isPresent())
                .toList();
        // A user-defined network before Docker's default bridge: the one Compose made for the project.
        return usable.stream().filter(NetworkAttachment::userDefined).findFirst().or(() -> usable.stream().findFirst());
    }

    private static boolean attachedTo(ContainerRecord container, String network) {
        return container.facts().networks().stream().anyMatch(n -> n.network().equals(network));
    }

    private static String noNetwork(ServiceSpec spec, List<String> its, Optional<ContainerRecord> self, Optional<ContainerRecord> asker) {
        if (spec.network().isPresent() && !its.contains(spec.network().get())) {
            return "not on network [" + spec.network().get() + "] (on " + its + ")";
        }
        if (asker.isPresent()) {
            return "shares no network with the asking container " + asker.get().describe() + " (it is on " + its
                    + ", the asking container on " + networkNames(asker.get().facts().networks()) + ")";
        }
        if (self.isPresent()) {
            return "shares no network with the ambassador (it is on " + its + ", the ambassador on "
                    + networkNames(self.get().facts().networks()) + ")";
        }
        return "has no address on " + its;
    }

    private static List<String> networkNames(List<NetworkAttachment> networks) {
        return networks.stream().map(NetworkAttachment::network).sorted().toList();
    }
}
