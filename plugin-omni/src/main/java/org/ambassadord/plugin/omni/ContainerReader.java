package org.ambassadord.plugin.omni;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.ContainerPort;
import com.github.dockerjava.api.model.ExposedPort;

/**
 * Reads containers from the Engine API into {@link ContainerRecord}s: {@code GET
 * /containers/json} has names, labels, state, health (in its status text) and every
 * network's addresses, but no environment, exposed ports or network aliases, so each
 * container is also inspected once. What inspection adds cannot change after creation but
 * for aliases, which change only with a network {@code connect} (an event, which inspects
 * again), so it is remembered by id and later listings inspect only new containers.
 *
 * <p>Used by the events follower's thread only; blocks on the engine.
 */
final class ContainerReader {

    /** {@code BACKEND_65535=} and a spec one character longer than allowed. */
    private static final int MAX_KEPT_VARIABLE = ContainerRecord.ENV_PREFIX.length() + 6 + ContainerText.MAX_SPEC_LENGTH + 1;

    /** What an inspection adds to a listing, kept per container. */
    private record Inspected(List<String> env, Set<Integer> exposedPorts, Map<String, List<String>> aliases) {
    }

    private final DockerClient docker;
    private final Map<String, Inspected> inspectedById = new HashMap<>();

    ContainerReader(DockerClient docker) {
        this.docker = docker;
    }

    /** Every running container (paused and restarting ones too: their state says so). */
    List<ContainerRecord> listRunning() {
        List<ContainerRecord> records = new ArrayList<>();
        for (Container container : docker.listContainersCmd().exec()) {
            Inspected inspected = inspectedById.get(container.getId());
            if (inspected == null) {
                try {
                    inspected = remember(container.getId(), docker.inspectContainerCmd(container.getId()).exec());
                } catch (NotFoundException gone) {
                    continue;
                }
            }
            Map<String, ContainerNetwork> networks = container.getNetworkSettings() == null ? null
                    : container.getNetworkSettings().getNetworks();
            Set<Integer> exposed = new HashSet<>(inspected.exposedPorts());
            if (container.getPorts() != null) {
                for (ContainerPort port : container.getPorts()) {
                    if (port != null && "tcp".equals(port.getType()) && port.getPrivatePort() != null) {
                        exposed.add(port.getPrivatePort());
                    }
                }
            }
            ContainerFacts facts = ContainerFacts.of(container.getState(), ContainerFacts.healthInStatus(container.getStatus()),
                    container.getLabels(), exposed, attachments(networks, inspected.aliases()));
            records.add(ContainerRecord.of(container.getId(), ContainerRecord.firstName(container.getNames()), networks,
                    inspected.env(), container.getLabels(), facts));
        }
        inspectedById.keySet().retainAll(records.stream().map(ContainerRecord::id).toList());
        return records;
    }

    /** A container as it is now, or empty when it is gone or not running (paused counts as running). */
    Optional<ContainerRecord> inspectRunning(String id) {
        InspectContainerResponse inspected;
        try {
            inspected = docker.inspectContainerCmd(id).exec();
        } catch (NotFoundException gone) {
            inspectedById.remove(id);
            return Optional.empty();
        }
        InspectContainerResponse.ContainerState state = inspected.getState();
        if (state == null || !(Boolean.TRUE.equals(state.getRunning()) || Boolean.TRUE.equals(state.getRestarting()))) {
            inspectedById.remove(id);
            return Optional.empty();
        }
        Inspected kept = remember(id, inspected);
        Map<String, ContainerNetwork> networks = inspected.getNetworkSettings() == null ? null
                : inspected.getNetworkSettings().getNetworks();
        Map<String, String> labels = inspected.getConfig() == null ? null : inspected.getConfig().getLabels();
        String health = state.getHealth() == null || state.getHealth().getStatus() == null ? ""
                : NetworkAttachment.capped(state.getHealth().getStatus());
        String status = Boolean.TRUE.equals(state.getRestarting()) ? "restarting"
                : Boolean.TRUE.equals(state.getPaused()) ? "paused" : "running";
        ContainerFacts facts = ContainerFacts.of(status, health, labels, kept.exposedPorts(), attachments(networks, kept.aliases()));
        return Optional.of(ContainerRecord.of(id, inspected.getName(), networks, kept.env(), labels, facts));
    }

    private static List<NetworkAttachment> attachments(Map<String, ContainerNetwork> networks, Map<String, List<String>> aliases) {
        List<NetworkAttachment> attachments = new ArrayList<>();
        if (networks != null) {
            networks.forEach((name, endpoint) -> {
                if (name != null && endpoint != null) {
                    attachments.add(NetworkAttachment.of(name, endpoint, aliases.get(name)));
                }
            });
        }
        return attachments;
    }

    /**
     * Remembers only the {@code BACKEND_} variables, each cut just past the longest spec a
     * container may name, the exposed TCP ports and the network aliases, each capped: a
     * container's environment is its own text, and what it costs here stays a few KiB
     * whatever it holds.
     */
    private Inspected remember(String id, InspectContainerResponse inspected) {
        List<String> env = new ArrayList<>();
        Set<Integer> exposed = new HashSet<>();
        if (inspected.getConfig() != null && inspected.getConfig().getEnv() != null) {
            for (String variable : inspected.getConfig().getEnv()) {
                if (variable != null && variable.startsWith(ContainerRecord.ENV_PREFIX)) {
                    env.add(variable.length() > MAX_KEPT_VARIABLE ? variable.substring(0, MAX_KEPT_VARIABLE) : variable);
                }
            }
        }
        if (inspected.getConfig() != null && inspected.getConfig().getExposedPorts() != null) {
            for (ExposedPort port : inspected.getConfig().getExposedPorts()) {
                if (port != null && exposed.size() < ContainerFacts.MAX_PORTS && port.getProtocol() != null
                        && "tcp".equalsIgnoreCase(port.getProtocol().toString())) {
                    exposed.add(port.getPort());
                }
            }
        }
        Map<String, List<String>> aliases = new HashMap<>();
        if (inspected.getNetworkSettings() != null && inspected.getNetworkSettings().getNetworks() != null) {
            inspected.getNetworkSettings().getNetworks().forEach((name, endpoint) -> {
                if (name != null && endpoint != null && endpoint.getAliases() != null) {
                    aliases.put(name, endpoint.getAliases().stream().limit(NetworkAttachment.MAX_ALIASES).toList());
                }
            });
        }
        Inspected kept = new Inspected(List.copyOf(env), Set.copyOf(exposed), Map.copyOf(aliases));
        inspectedById.put(id, kept);
        return kept;
    }
}
