package org.ambassadord.plugin.omni;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;

/**
 * Reads containers from the Engine API into {@link ContainerRecord}s: {@code GET
 * /containers/json} has names, labels and every network's addresses but no environment, so
 * each container is also inspected once. Its environment cannot change after creation, so
 * it is remembered by id and later listings inspect only new containers.
 *
 * <p>Used by the events follower's thread only; blocks on the engine.
 */
final class ContainerReader {

    /** {@code BACKEND_65535=} and a spec one character longer than allowed. */
    private static final int MAX_KEPT_VARIABLE = ContainerRecord.ENV_PREFIX.length() + 6 + ContainerText.MAX_SPEC_LENGTH + 1;

    private final DockerClient docker;
    private final Map<String, List<String>> envById = new HashMap<>();

    ContainerReader(DockerClient docker) {
        this.docker = docker;
    }

    /** Every running container. */
    List<ContainerRecord> listRunning() {
        List<ContainerRecord> records = new ArrayList<>();
        for (Container container : docker.listContainersCmd().exec()) {
            List<String> env = envById.get(container.getId());
            if (env == null) {
                try {
                    env = remember(container.getId(), docker.inspectContainerCmd(container.getId()).exec());
                } catch (NotFoundException gone) {
                    continue;
                }
            }
            records.add(ContainerRecord.of(container.getId(), ContainerRecord.firstName(container.getNames()),
                    container.getNetworkSettings() == null ? null : container.getNetworkSettings().getNetworks(),
                    env, container.getLabels()));
        }
        envById.keySet().retainAll(records.stream().map(ContainerRecord::id).toList());
        return records;
    }

    /** A container as it is now, or empty when it is gone or not running. */
    Optional<ContainerRecord> inspectRunning(String id) {
        InspectContainerResponse inspected;
        try {
            inspected = docker.inspectContainerCmd(id).exec();
        } catch (NotFoundException gone) {
            envById.remove(id);
            return Optional.empty();
        }
        if (inspected.getState() == null || !Boolean.TRUE.equals(inspected.getState().getRunning())) {
            envById.remove(id);
            return Optional.empty();
        }
        List<String> env = remember(id, inspected);
        return Optional.of(ContainerRecord.of(id, inspected.getName(),
                inspected.getNetworkSettings() == null ? null : inspected.getNetworkSettings().getNetworks(),
                env, inspected.getConfig() == null ? null : inspected.getConfig().getLabels()));
    }

    /**
     * Remembers only the {@code BACKEND_} variables, each cut just past the longest spec a
     * container may name: a container's environment is its own text, and what it costs here
     * stays a few KiB per port whatever it holds.
     */
    private List<String> remember(String id, InspectContainerResponse inspected) {
        List<String> env = new ArrayList<>();
        if (inspected.getConfig() != null && inspected.getConfig().getEnv() != null) {
            for (String variable : inspected.getConfig().getEnv()) {
                if (variable != null && variable.startsWith(ContainerRecord.ENV_PREFIX)) {
                    env.add(variable.length() > MAX_KEPT_VARIABLE ? variable.substring(0, MAX_KEPT_VARIABLE) : variable);
                }
            }
        }
        envById.put(id, List.copyOf(env));
        return env;
    }
}
