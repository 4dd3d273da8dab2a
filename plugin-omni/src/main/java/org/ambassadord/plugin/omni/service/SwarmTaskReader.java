package org.ambassadord.plugin.omni.service;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.github.dockerjava.api.model.Task;
import org.ambassadord.plugin.omni.NetworkAttachment;
import org.ambassadord.spi.ProviderContext;

/**
 * A Swarm task from the engine's answer to {@code GET /tasks}: docker-java's model has no
 * {@code NetworksAttachments}, so they are read from the fields it keeps unparsed. The
 * answer is the engine's, so everything is capped and type-checked; a malformed part is
 * ignored rather than trusted.
 */
final class SwarmTaskReader {

    static final int MAX_TEXT = 253;
    static final int MAX_NETWORKS = 16;
    static final int MAX_ADDRESSES = 4;

    private SwarmTaskReader() {
    }

    static SwarmTask read(Task task, String service) {
        String id = capped(task.getId());
        String slot = task.getSlot() != null ? Integer.toString(task.getSlot()) : capped(task.getNodeId());
        String desired = task.getDesiredState() == null ? "" : task.getDesiredState().getValue();
        String state = task.getStatus() == null || task.getStatus().getState() == null ? "" : task.getStatus().getState().getValue();
        Optional<String> container = Optional.ofNullable(task.getStatus())
                .map(status -> status.getContainerStatus())
                .map(status -> capped(status.getContainerID()))
                .filter(text -> !text.isEmpty());
        return new SwarmTask(id, service + "." + slot, capped(task.getNodeId()), desired, state, container,
                attachments(task.getRawValues().get("NetworksAttachments")));
    }

    /** {@code [{"Network":{"Spec":{"Name":..,"Ingress":..}},"Addresses":["10.0.1.3/24"]}]}, ingress left out. */
    static List<NetworkAttachment> attachments(Object raw) {
        List<NetworkAttachment> networks = new ArrayList<>();
        if (!(raw instanceof List<?> list)) {
            return networks;
        }
        for (Object entry : list) {
            if (networks.size() == MAX_NETWORKS) {
                break;
            }
            if (!(entry instanceof Map<?, ?> attachment)) {
                continue;
            }
            Map<?, ?> spec = map(map(attachment.get("Network")).get("Spec"));
            if (Boolean.TRUE.equals(spec.get("Ingress")) || !(spec.get("Name") instanceof String name) || name.isEmpty()) {
                continue;
            }
            Optional<InetAddress> ipv4 = Optional.empty();
            Optional<InetAddress> ipv6 = Optional.empty();
            if (attachment.get("Addresses") instanceof List<?> addresses) {
                for (Object cidr : addresses.subList(0, Math.min(MAX_ADDRESSES, addresses.size()))) {
                    Optional<InetAddress> address = cidr instanceof String text ? literal(text) : Optional.empty();
                    if (address.isPresent() && address.get().getAddress().length == 4) {
                        ipv4 = ipv4.or(() -> address);
                    } else if (address.isPresent()) {
                        ipv6 = ipv6.or(() -> address);
                    }
                }
            }
            networks.add(new NetworkAttachment(capped(name), ipv4, ipv6, Set.of()));
        }
        return networks;
    }

    /** {@code 10.0.1.3/24} → 10.0.1.3; a literal only, never a name lookup. */
    private static Optional<InetAddress> literal(String cidr) {
        int slash = cidr.indexOf('/');
        String address = slash < 0 ? cidr : cidr.substring(0, slash);
        if (address.isEmpty() || address.length() > 45) {
            return Optional.empty();
        }
        try {
            return ProviderContext.ipLiteral(address);
        } catch (IllegalArgumentException notALiteral) {
            return Optional.empty();
        }
    }

    private static Map<?, ?> map(Object value) {
        return value instanceof Map<?, ?> map ? map : Map.of();
    }

    private static String capped(String text) {
        return text == null ? "" : text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) : text;
    }
}
