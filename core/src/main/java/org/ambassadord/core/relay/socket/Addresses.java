package org.ambassadord.core.relay.socket;

import java.net.Inet6Address;
import java.net.InetSocketAddress;

/** Socket addresses as people write them: {@code 10.0.0.5:6379}, {@code [::1]:6379}. */
public final class Addresses {

    private Addresses() {
    }

    public static String format(InetSocketAddress address) {
        if (address == null) {
            return "?";
        }
        if (address.isUnresolved()) {
            return address.getHostString() + ":" + address.getPort();
        }
        if (address.getAddress().isAnyLocalAddress()) {
            return "*:" + address.getPort();
        }
        String host = address.getAddress().getHostAddress();
        return address.getAddress() instanceof Inet6Address
                ? "[" + host + "]:" + address.getPort()
                : host + ":" + address.getPort();
    }
}
