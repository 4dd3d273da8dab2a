package org.ambassadord.plugin.omni.service;

import java.util.List;
import java.util.Optional;

import org.ambassadord.plugin.omni.NetworkAttachment;

/**
 * One task of a Swarm service as the manager reports it, reduced to what selection needs.
 * Every text field is the engine's and so untrusted: {@link SwarmTaskReader} caps them.
 *
 * @param id           the task's id
 * @param name         {@code SERVICE.SLOT} (or {@code SERVICE.NODE} for a global service)
 * @param node         the id of the node it was scheduled on
 * @param desiredState what the orchestrator wants ({@code running}, {@code shutdown}, ...)
 * @param state        what it is ({@code starting} until its health check passes, then {@code running})
 * @param containerId  its container on that node, once there is one
 * @param networks     its attachments to non-ingress networks, with the task's addresses there
 */
public record SwarmTask(String id, String name, String node, String desiredState, String state,
                        Optional<String> containerId, List<NetworkAttachment> networks) {

    public SwarmTask {
        networks = List.copyOf(networks);
    }

    /** For messages: {@code web.2 (k3j2...) on node 77ug...}. */
    public String describe() {
        return name + " (" + shortId(id) + ") on node " + shortId(node);
    }

    private static String shortId(String id) {
        return id.substring(0, Math.min(12, id.length()));
    }
}
