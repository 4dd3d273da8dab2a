package org.ambassadord.plugin.hostport;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.ambassadord.spi.BackendSpecException;
import org.ambassadord.spi.ProviderContext;

/**
 * Parses {@code host:port}, {@code h1:p1,h2:p2} and {@code [v6addr]:port}, with or without
 * the {@code static://} prefix.
 */
final class StaticSpecParser {

    static final String PREFIX = "static://";

    private static final Pattern BRACKETED = Pattern.compile("\\[([0-9A-Fa-f:.%a-zA-Z]+)]:(.*)");
    private static final Pattern HOST_PORT = Pattern.compile("([^:\\[\\]/]+):(.*)");
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_.])?");

    private StaticSpecParser() {
    }

    /**
     * Whether a scheme-less spec is meant as static: it has a port or a list. A bare name is
     * left to DNS SRV. Claiming {@code redis:abc} too means its error comes from here, where
     * the message can say what is wrong with the port.
     */
    static boolean looksStatic(String spec) {
        return spec.contains(":") || spec.contains(",");
    }

    static List<HostPort> parse(String spec) throws BackendSpecException {
        String body = spec.startsWith(PREFIX) ? spec.substring(PREFIX.length()) : spec;
        if (body.isBlank()) {
            throw new BackendSpecException("static spec [" + spec + "] names no endpoint; write host:port");
        }
        List<HostPort> endpoints = new ArrayList<>();
        for (String item : body.split(",", -1)) {
            endpoints.add(parseItem(item.strip(), spec));
        }
        return List.copyOf(endpoints);
    }

    private static HostPort parseItem(String item, String spec) throws BackendSpecException {
        if (item.isEmpty()) {
            throw new BackendSpecException("static spec [" + spec + "] has an empty item; separate endpoints with single commas");
        }
        Matcher bracketed = BRACKETED.matcher(item);
        if (bracketed.matches()) {
            String address = bracketed.group(1);
            checkIpv6(address, item);
            return new HostPort(address, port(bracketed.group(2), item));
        }
        if (item.indexOf(':') != item.lastIndexOf(':')) {
            throw new BackendSpecException("[" + item + "] looks like an IPv6 address: write it in brackets, e.g. [::1]:6379");
        }
        Matcher hostPort = HOST_PORT.matcher(item);
        if (!hostPort.matches()) {
            throw new BackendSpecException("[" + item + "] is not host:port");
        }
        String host = hostPort.group(1);
        if (!HOST_NAME.matcher(host).matches()) {
            throw new BackendSpecException("host [" + host + "] of [" + item + "] is not a host name or IP address");
        }
        checkLiteral(host, item);
        return new HostPort(host, port(hostPort.group(2), item));
    }

    private static int port(String text, String item) throws BackendSpecException {
        if (!text.matches("\\d{1,5}")) {
            throw new BackendSpecException("port [" + text + "] of [" + item + "] is not a number");
        }
        int port = Integer.parseInt(text);
        if (port < 1 || port > 65535) {
            throw new BackendSpecException("port [" + text + "] of [" + item + "] is out of range 1-65535");
        }
        return port;
    }

    private static void checkIpv6(String address, String item) throws BackendSpecException {
        if (!address.contains(":")) {
            throw new BackendSpecException("[" + address + "] in brackets is not an IPv6 address in [" + item + "]");
        }
        checkLiteral(address, item);
    }

    /** A literal-shaped host must be a valid literal: it is parsed, never looked up. */
    private static void checkLiteral(String host, String item) throws BackendSpecException {
        try {
            ProviderContext.ipLiteral(host);
        } catch (IllegalArgumentException e) {
            throw new BackendSpecException(e.getMessage() + " in [" + item + "]");
        }
    }
}
