package org.ambassadord.plugin.consul;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.ambassadord.spi.BackendSpecException;
import org.ambassadord.spi.ProviderContext;

/**
 * A parsed {@code consul://host[:port]/key/path[?dc=<datacenter>&wait=<duration>]} spec.
 *
 * <p>The port defaults to Consul's HTTP port 8500. The key path is percent-decoded and has
 * no leading or trailing slash. {@code wait} bounds one blocking query (Consul's own default
 * is 5 minutes; lower it when a proxy or load balancer between us and Consul drops idle
 * connections sooner). The ACL token is not an option: it comes from
 * {@code CONSUL_HTTP_TOKEN}, so that it never shows up in process listings or logs.
 *
 * @param text       the spec as the user wrote it, for messages
 * @param agent      the Consul agent's HTTP address
 * @param key        the key path, decoded, without leading or trailing slashes
 * @param datacenter the {@code dc} option, when given
 * @param waitTime   the blocking query's wait time, whole seconds from 1 s to 10 min
 */
record ConsulSpec(String text, HostPort agent, String key, Optional<String> datacenter, Duration waitTime) {

    /** The URL scheme. */
    static final String SCHEME = "consul";
    /** Consul's default HTTP port. */
    static final int DEFAULT_PORT = 8500;
    /** Consul's own default for a blocking query without {@code wait}. */
    static final Duration DEFAULT_WAIT = Duration.ofMinutes(5);
    /** Consul caps {@code wait} here. */
    static final Duration MAX_WAIT = Duration.ofMinutes(10);

    private static final String PREFIX = SCHEME + "://";
    private static final List<String> OPTIONS = List.of("dc", "wait");
    private static final Pattern WAIT = Pattern.compile("([0-9]{1,6})(s|m)?");
    static final Pattern DATACENTER = Pattern.compile("[A-Za-z0-9_.-]+");

    /**
     * Parses and validates a spec completely.
     *
     * @throws BackendSpecException with a one-line message that quotes the offending part
     */
    static ConsulSpec parse(String spec) throws BackendSpecException {
        String shown = ProviderContext.printable(spec);
        if (!spec.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            throw new BackendSpecException("[" + shown + "] is not a Consul spec; expected consul://host:port/path");
        }
        String rest = spec.substring(PREFIX.length());
        int hash = rest.indexOf('#');
        if (hash >= 0) {
            throw new BackendSpecException("unexpected [" + ProviderContext.printable(rest.substring(hash)) + "] in [" + shown + "]");
        }
        int question = rest.indexOf('?');
        String beforeQuery = question < 0 ? rest : rest.substring(0, question);
        int slash = beforeQuery.indexOf('/');
        String authority = slash < 0 ? beforeQuery : beforeQuery.substring(0, slash);
        String rawPath = slash < 0 ? "" : beforeQuery.substring(slash + 1);

        HostPort agent = agent(authority, shown);
        String key = key(rawPath, shown);
        Map<String, String> options = options(question < 0 ? "" : rest.substring(question + 1), shown);
        Optional<String> datacenter = Optional.ofNullable(options.get("dc"));
        if (datacenter.isPresent() && !DATACENTER.matcher(datacenter.get()).matches()) {
            throw new BackendSpecException("datacenter [" + ProviderContext.printable(datacenter.get()) + "] in [" + shown + "] is not a datacenter name");
        }
        Duration wait = options.containsKey("wait") ? wait(options.get("wait"), shown) : DEFAULT_WAIT;
        return new ConsulSpec(spec, agent, key, datacenter, wait);
    }

    static HostPort agent(String authority, String spec) throws BackendSpecException {
        if (authority.isEmpty()) {
            throw new BackendSpecException("missing Consul host in [" + spec + "]; expected consul://host:port/path");
        }
        if (authority.indexOf('@') >= 0) {
            throw new BackendSpecException("user info in [" + spec + "] is not supported; the ACL token comes from CONSUL_HTTP_TOKEN");
        }
        try {
            return HostPort.parse(authority, DEFAULT_PORT);
        } catch (IllegalArgumentException e) {
            throw new BackendSpecException("bad Consul address [" + ProviderContext.printable(authority) + "] in ["
                    + spec + "]: " + ProviderContext.printable(e.getMessage()));
        }
    }

    private static String key(String rawPath, String spec) throws BackendSpecException {
        String key;
        try {
            key = KeyPaths.decode(rawPath);
        } catch (IllegalArgumentException e) {
            throw new BackendSpecException("bad key path [" + ProviderContext.printable(rawPath) + "] in [" + spec + "]: "
                    + ProviderContext.printable(e.getMessage()));
        }
        // A trailing slash names the same directory; Consul keys have no leading slash.
        int start = 0;
        int end = key.length();
        while (start < end && key.charAt(start) == '/') {
            start++;
        }
        while (end > start && key.charAt(end - 1) == '/') {
            end--;
        }
        if (start == end) {
            throw new BackendSpecException("missing key path in [" + spec + "]; expected consul://host:port/path/to/backends");
        }
        return key.substring(start, end);
    }

    private static Map<String, String> options(String query, String spec) throws BackendSpecException {
        Map<String, String> options = new LinkedHashMap<>();
        for (String part : query.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int equals = part.indexOf('=');
            String name = equals < 0 ? part : part.substring(0, equals);
            String value = equals < 0 ? "" : part.substring(equals + 1);
            if (!OPTIONS.contains(name)) {
                String hint = name.equals("token") ? "; the ACL token comes from CONSUL_HTTP_TOKEN" : "";
                throw new BackendSpecException("unknown option [" + ProviderContext.printable(name) + "] in [" + spec + "]; known options are " + OPTIONS + hint);
            }
            if (value.isEmpty()) {
                throw new BackendSpecException("option [" + ProviderContext.printable(name) + "] in [" + spec + "] needs a value");
            }
            if (options.put(name, value) != null) {
                throw new BackendSpecException("option [" + ProviderContext.printable(name) + "] is given twice in [" + spec + "]");
            }
        }
        return options;
    }

    static Duration wait(String text, String spec) throws BackendSpecException {
        Matcher matcher = WAIT.matcher(text);
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            Duration wait = "m".equals(matcher.group(2)) ? Duration.ofMinutes(amount) : Duration.ofSeconds(amount);
            if (wait.compareTo(Duration.ofSeconds(1)) >= 0 && wait.compareTo(MAX_WAIT) <= 0) {
                return wait;
            }
        }
        throw new BackendSpecException("wait [" + ProviderContext.printable(text) + "] in [" + spec + "] must be whole seconds or minutes from 1s to 10m, as in 30s or 5m");
    }

    /** Where the backends come from, for log lines and error messages. */
    String describe() {
        return "Consul [" + agent + "] key [" + key + "]";
    }
}
