package org.ambassadord.core.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * {@code --admin [host:]port}: a bare port binds 127.0.0.1 (the admin endpoint shows the
 * backend's endpoints, so it is not public unless asked for); {@code 0.0.0.0:9901} inside a
 * container, {@code [::]:9901} for IPv6. The host must be an address literal, never a name.
 */
final class AdminAddress {

    private AdminAddress() {
    }

    /** @throws IllegalArgumentException with a one-line message */
    static Optional<InetSocketAddress> parse(String value) {
        if (value == null || value.isBlank() || value.strip().equals("off")) {
            return Optional.empty();
        }
        String text = value.strip();
        int colon = text.lastIndexOf(':');
        String host = colon < 0 ? "127.0.0.1" : text.substring(0, colon);
        String port = colon < 0 ? text : text.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (!port.matches("\\d{1,5}") || Integer.parseInt(port) > 65535) {
            throw new IllegalArgumentException("--admin [" + value + "]: port [" + port + "] is not a port (0-65535)");
        }
        boolean literal = host.matches("\\d{1,3}(\\.\\d{1,3}){3}") || (host.contains(":") && host.matches("[0-9a-fA-F:.]+"));
        if (!literal) {
            throw new IllegalArgumentException("--admin [" + value + "]: [" + host + "] is not an address; write"
                    + " 127.0.0.1:9901, 0.0.0.0:9901 or [::]:9901");
        }
        try {
            return Optional.of(new InetSocketAddress(InetAddress.getByName(host.contains(":") ? "[" + host + "]" : host),
                    Integer.parseInt(port)));
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("--admin [" + value + "]: [" + host + "] is not an address");
        }
    }
}
