package org.ambassadord.plugin.consul;

import java.util.List;

/**
 * One instance of a service as Consul's health endpoint reports it.
 *
 * @param id          the service instance's ID
 * @param node        the node it runs on
 * @param host        {@code Service.Address}, else {@code Node.Address}: an IP literal or a name
 * @param port        {@code Service.Port}
 * @param tags        {@code Service.Tags}
 * @param status      the worst status of every check of the instance and its node
 * @param maintenance whether the instance or its node is in maintenance mode
 * @param passingWeight {@code Service.Weights.Passing} (1 when absent)
 * @param warningWeight {@code Service.Weights.Warning} (1 when absent)
 */
record ServiceInstance(String id, String node, String host, int port, List<String> tags, Status status,
                       boolean maintenance, int passingWeight, int warningWeight) {

    ServiceInstance {
        tags = List.copyOf(tags);
    }

    /** Consul's check statuses, best first. */
    enum Status {
        PASSING, WARNING, CRITICAL;

        /** Consul's word for it; anything unknown counts as critical. */
        static Status of(String text) {
            return switch (text == null ? "" : text) {
                case "passing" -> PASSING;
                case "warning" -> WARNING;
                default -> CRITICAL;
            };
        }

        Status worse(Status other) {
            return other.ordinal() > ordinal() ? other : this;
        }
    }

    /** Whether it serves under the spec's health rule; maintenance removes it under any. */
    boolean serves(ServiceSpec.HealthFilter health) {
        if (maintenance) {
            return false;
        }
        return switch (health) {
            case PASSING -> status == Status.PASSING;
            case WARNING -> status != Status.CRITICAL;
            case ANY -> true;
        };
    }

    /** The balancer's weight: {@code Weights.Passing} when passing, else {@code Weights.Warning}. */
    int weight() {
        return status == Status.PASSING ? passingWeight : warningWeight;
    }
}
