package org.ambassadord.plugin.links;

import java.util.Objects;

/**
 * One Docker link port, from a variable such as
 * {@code REDIS_PORT_6379_TCP=tcp://172.17.0.2:6379}.
 *
 * @param alias    the link alias as Docker spelled it in the variable name ({@code REDIS})
 * @param port     the port in the variable name: the linked container's exposed port, which
 *                 the proxy listens on
 * @param host     the address from the value, usually an IP literal (IPv6 without brackets)
 * @param hostPort the port from the value, where connections go
 * @param variable the variable's name, for messages
 */
record DockerLink(String alias, int port, String host, int hostPort, String variable) {

    DockerLink {
        Objects.requireNonNull(alias, "alias");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(variable, "variable");
    }

    /** {@code host:port}, IPv6 in brackets, for logs. */
    String target() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + hostPort;
    }
}
