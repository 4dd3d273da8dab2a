package org.ambassadord.spi;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * {@link ProviderContext#ipLiteral}: tells an IP literal from a host name in one pass over the
 * text, with no regular expression and no name service. {@link InetAddress#getByName} parses a
 * literal without asking DNS but looks up anything else, even {@code 300.1.1.1} or a broken
 * IPv6 literal without brackets; so an IPv4 address is built here from its four numbers and an
 * IPv6 literal goes to the JDK in brackets, which it parses and never looks up.
 */
final class IpLiterals {

    /** Longer than any literal: 39 for IPv6 with an IPv4 tail, a zone of at most 15 (IFNAMSIZ - 1). */
    static final int MAX_LENGTH = 64;

    private IpLiterals() {
    }

    static Optional<InetAddress> parse(String host) {
        if (host.indexOf(':') >= 0) {
            return Optional.of(ipv6(host));
        }
        if (!digitsAndDots(host)) {
            return Optional.empty();
        }
        return Optional.of(ipv4(host));
    }

    private static InetAddress ipv6(String host) {
        int zone = host.indexOf('%');
        if (host.length() > MAX_LENGTH || !allIn(host, 0, zone < 0 ? host.length() : zone, "0123456789abcdefABCDEF:.")
                || zone >= 0 && (zone == host.length() - 1 || !zoneName(host, zone + 1))) {
            throw notLiteral(host, "IPv6");
        }
        try {
            return InetAddress.getByName("[" + host + "]");
        } catch (UnknownHostException e) {
            throw notLiteral(host, "IPv6");
        }
    }

    private static InetAddress ipv4(String host) {
        byte[] address = new byte[4];
        int part = 0;
        int value = 0;
        int digits = 0;
        for (int i = 0; i <= host.length(); i++) {
            char c = i < host.length() ? host.charAt(i) : '.';
            if (c != '.') {
                // No leading zero: 010 is 8 to inet_aton and 10 to others, so it is refused.
                if (digits == 3 || digits == 1 && value == 0) {
                    throw notLiteral(host, "IPv4");
                }
                value = value * 10 + (c - '0');
                digits++;
                continue;
            }
            if (digits == 0 || value > 255 || part == 4) {
                throw notLiteral(host, "IPv4");
            }
            address[part++] = (byte) value;
            value = 0;
            digits = 0;
        }
        if (part != 4) {
            throw notLiteral(host, "IPv4");
        }
        try {
            return InetAddress.getByAddress(address);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException("four bytes are an IPv4 address", impossible);
        }
    }

    /** Only digits and dots, as no host name is (a top-level domain is never all digits). */
    private static boolean digitsAndDots(String host) {
        return !host.isEmpty() && allIn(host, 0, host.length(), "0123456789.");
    }

    private static boolean zoneName(String host, int from) {
        for (int i = from; i < host.length(); i++) {
            char c = host.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    private static boolean allIn(String text, int from, int to, String allowed) {
        for (int i = from; i < to; i++) {
            if (allowed.indexOf(text.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    /** The refusal quotes at most {@link #MAX_LENGTH} characters, each control one as {@code ?}: one line. */
    private static IllegalArgumentException notLiteral(String host, String family) {
        StringBuilder shown = new StringBuilder(Math.min(host.length(), MAX_LENGTH) + 16);
        for (int i = 0; i < host.length() && i < MAX_LENGTH; i++) {
            char c = host.charAt(i);
            shown.append(c < 0x20 || c >= 0x7f && c <= 0x9f || c == '\u2028' || c == '\u2029' ? '?' : c);
        }
        if (host.length() > MAX_LENGTH) {
            shown.append("…(").append(host.length()).append(" chars)");
        }
        return new IllegalArgumentException("[" + shown + "] is not an " + family + " address");
    }
}
