package org.ambassadord.plugin.srv;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.ambassadord.plugin.srv.SrvSpec.DnsServer;
import org.ambassadord.spi.BackendSpecException;

/**
 * Parses {@code srv://name[?dns=host[:port]]} and bare DNS names ({@code redis.service.consul})
 * into {@link SrvSpec}s, and decides which bare specs are SRV names at all.
 *
 * <p>Pure string work, no look-ups: called on the start-up thread.
 */
final class SrvSpecParser {

    static final String SCHEME = "srv";
    private static final String PREFIX = SCHEME + "://";
    private static final String DNS_OPTION = "dns";

    /** One DNS label: letters, digits, hyphen and underscore ({@code _redis._tcp}), 1-63 long. */
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?");
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");
    private static final int MAX_NAME_LENGTH = 253;

    private SrvSpecParser() {
    }

    /**
     * Whether a spec without a scheme is an SRV name: a DNS name of at least two labels
     * without a port. {@code host:port} and {@code [v6]:port} belong to the static provider;
     * an IPv4 address (its last label all digits) is not a name; a single word is left to
     * other providers (such as {@code links}).
     */
    static boolean isSchemelessSrvName(String spec) {
        if (spec.contains("://")) {
            return false;
        }
        String name = spec.endsWith(".") ? spec.substring(0, spec.length() - 1) : spec;
        int lastDot = name.lastIndexOf('.');
        return lastDot > 0
                && isDnsName(spec)
                && !DIGITS.matcher(name.substring(lastDot + 1)).matches();
    }

    /**
     * Parses an explicit {@code srv://} spec or a bare SRV name.
     *
     * @throws BackendSpecException with a one-line message quoting the offending part
     */
    static SrvSpec parse(String spec) throws BackendSpecException {
        String rest;
        if (spec.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            rest = spec.substring(PREFIX.length());
        } else if (spec.contains("://")) {
            throw new BackendSpecException("spec [" + spec + "] is not an SRV spec; expected srv://name[?dns=host:port]");
        } else {
            rest = spec;
        }
        int question = rest.indexOf('?');
        String name = question < 0 ? rest : rest.substring(0, question);
        Map<String, String> options = question < 0 ? Map.of() : parseOptions(rest.substring(question + 1), spec);
        return new SrvSpec(spec, checkName(name, spec), parseDnsServer(options.get(DNS_OPTION), spec));
    }

    private static String checkName(String name, String spec) throws BackendSpecException {
        if (name.isEmpty()) {
            throw new BackendSpecException("SRV spec [" + spec + "] has no name; expected srv://name such as srv://redis.service.consul");
        }
        if (name.contains(":")) {
            throw new BackendSpecException("SRV name [" + name + "] of [" + spec
                    + "] must not have a port: the SRV records give the ports (for a fixed port use host:port)");
        }
        if (!isDnsName(name)) {
            throw new BackendSpecException("SRV name [" + name + "] of [" + spec
                    + "] is not a DNS name (labels of letters, digits, '-' and '_', up to 63 characters each)");
        }
        return name.endsWith(".") ? name : name + ".";
    }

    private static boolean isDnsName(String name) {
        String body = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        if (body.isEmpty() || body.length() > MAX_NAME_LENGTH) {
            return false;
        }
        for (String label : body.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, String> parseOptions(String query, String spec) throws BackendSpecException {
        Map<String, String> options = new HashMap<>();
        for (String pair : query.split("&", -1)) {
            int equals = pair.indexOf('=');
            String key = (equals < 0 ? pair : pair.substring(0, equals)).toLowerCase(Locale.ROOT);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            if (!key.equals(DNS_OPTION)) {
                throw new BackendSpecException("unknown option [" + pair + "] in [" + spec + "]; known options: [dns=host:port]");
            }
            if (value.isEmpty()) {
                throw new BackendSpecException("option [" + pair + "] in [" + spec + "] needs a value such as dns=127.0.0.1:8600");
            }
            if (options.put(key, value) != null) {
                throw new BackendSpecException("option [" + key + "] is given twice in [" + spec + "]");
            }
        }
        return options;
    }

    /** {@code host}, {@code host:port}, {@code [v6]}, {@code [v6]:port} or a bare IPv6 literal. */
    private static Optional<DnsServer> parseDnsServer(String value, String spec) throws BackendSpecException {
        if (value == null) {
            return Optional.empty();
        }
        String host;
        String port;
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            if (close < 0 || (close + 1 < value.length() && value.charAt(close + 1) != ':')) {
                throw new BackendSpecException("DNS server [" + value + "] of [" + spec + "] is malformed; expected [v6]:port");
            }
            host = value.substring(1, close);
            port = close + 1 < value.length() ? value.substring(close + 2) : null;
        } else if (value.indexOf(':') != value.lastIndexOf(':')) {
            host = value;
            port = null;
        } else {
            int colon = value.indexOf(':');
            host = colon < 0 ? value : value.substring(0, colon);
            port = colon < 0 ? null : value.substring(colon + 1);
        }
        if (host.isEmpty()) {
            throw new BackendSpecException("DNS server [" + value + "] of [" + spec + "] has no host");
        }
        return Optional.of(new DnsServer(host, port == null ? SrvSpec.DNS_PORT : parsePort(port, value, spec)));
    }

    private static int parsePort(String port, String server, String spec) throws BackendSpecException {
        if (!DIGITS.matcher(port).matches() || port.length() > 5) {
            throw new BackendSpecException("port [" + port + "] of DNS server [" + server + "] in [" + spec + "] is not a number 1-65535");
        }
        int value = Integer.parseInt(port);
        if (value < 1 || value > 65535) {
            throw new BackendSpecException("port [" + port + "] of DNS server [" + server + "] in [" + spec + "] is out of range 1-65535");
        }
        return value;
    }

}
