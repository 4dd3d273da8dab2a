package org.ambassadord.plugin.consul;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.ambassadord.spi.BackendSpecException;
import org.ambassadord.spi.ProviderContext;

/**
 * A parsed {@code consul-service://host[:8500]/SERVICE[?tag=T&dc=DC&near=N&node-meta=K:V&health=H&filter=F&wait=W&stale]}
 * spec: the healthy instances of a service in Consul's catalog. Option values are
 * percent-decoded ({@code filter=Service.Meta.v%20==%20"2"}); {@code tag} and {@code node-meta}
 * may repeat. The ACL token comes from {@code CONSUL_HTTP_TOKEN}, as for {@code consul://}.
 *
 * @param text       the spec as written, for messages
 * @param agent      the Consul agent's HTTP address
 * @param service    the service name
 * @param tags       tags an instance must all carry
 * @param datacenter the {@code dc} option
 * @param near       the {@code near} option (a node name, or {@code _agent}): nearest first
 * @param nodeMeta   {@code K:V} pairs a node must carry
 * @param health     which instances serve
 * @param filter     Consul's filter expression
 * @param waitTime   one blocking query's wait
 * @param stale      whether any server may answer (Consul's {@code ?stale})
 */
record ServiceSpec(String text, HostPort agent, String service, List<String> tags, Optional<String> datacenter,
                   Optional<String> near, List<String> nodeMeta, HealthFilter health, Optional<String> filter,
                   Duration waitTime, boolean stale) {

    static final String SCHEME = "consul-service";
    private static final String PREFIX = SCHEME + "://";
    private static final List<String> OPTIONS = List.of("tag", "dc", "near", "node-meta", "health", "filter", "wait", "stale");
    /** Longer option values are refused: a tag or a filter that long is a mistake or hostile. */
    private static final int MAX_VALUE = 1024;

    ServiceSpec {
        tags = List.copyOf(tags);
        nodeMeta = List.copyOf(nodeMeta);
    }

    /** Which instances serve, by the status of every check of the instance and its node. */
    enum HealthFilter {
        /** Every check passing (the default). */
        PASSING,
        /** Every check passing or warning. */
        WARNING,
        /** Any status; maintenance still removes an instance. */
        ANY
    }

    /** @throws BackendSpecException with a one-line message that names the offending part */
    static ServiceSpec parse(String spec) throws BackendSpecException {
        String shown = ProviderContext.printable(spec);
        if (!spec.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            throw new BackendSpecException("[" + shown + "] is not a Consul service spec; expected " + PREFIX + "host:port/service");
        }
        String rest = spec.substring(PREFIX.length());
        if (rest.indexOf('#') >= 0) {
            throw new BackendSpecException("unexpected [#] in [" + shown + "]");
        }
        int question = rest.indexOf('?');
        String beforeQuery = question < 0 ? rest : rest.substring(0, question);
        int slash = beforeQuery.indexOf('/');
        HostPort agent = ConsulSpec.agent(slash < 0 ? beforeQuery : beforeQuery.substring(0, slash), shown);
        String service = slash < 0 ? "" : beforeQuery.substring(slash + 1);
        if (service.endsWith("/")) {
            service = service.substring(0, service.length() - 1);
        }
        if (service.isEmpty()) {
            throw new BackendSpecException("no service name in [" + shown + "]; expected " + PREFIX + "host:port/service");
        }
        if (!ConsulSpec.DATACENTER.matcher(service).matches()) {
            throw new BackendSpecException("service name [" + ProviderContext.printable(service) + "] in [" + shown
                    + "] may hold only letters, digits, '-', '_' and '.'");
        }
        List<String> tags = new ArrayList<>();
        List<String> nodeMeta = new ArrayList<>();
        Optional<String> datacenter = Optional.empty();
        Optional<String> near = Optional.empty();
        Optional<String> filter = Optional.empty();
        HealthFilter health = HealthFilter.PASSING;
        Duration wait = ConsulSpec.DEFAULT_WAIT;
        boolean stale = false;
        for (String part : question < 0 ? new String[0] : rest.substring(question + 1).split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int equals = part.indexOf('=');
            String name = equals < 0 ? part : part.substring(0, equals);
            String value = equals < 0 ? null : decoded(part.substring(equals + 1), name, shown);
            if (name.equals("stale")) {
                if (value != null) {
                    throw new BackendSpecException("option [stale] in [" + shown + "] takes no value");
                }
                stale = true;
                continue;
            }
            if (!OPTIONS.contains(name)) {
                throw new BackendSpecException("unknown option [" + ProviderContext.printable(name) + "] in [" + shown
                        + "]; known options are " + OPTIONS);
            }
            if (value == null || value.isEmpty()) {
                throw new BackendSpecException("option [" + name + "] in [" + shown + "] needs a value");
            }
            switch (name) {
                case "tag" -> tags.add(value);
                case "node-meta" -> {
                    int colon = value.indexOf(':');
                    if (colon <= 0 || colon == value.length() - 1) {
                        throw new BackendSpecException("node-meta [" + ProviderContext.printable(value) + "] in [" + shown
                                + "] must be key:value");
                    }
                    nodeMeta.add(value);
                }
                case "dc" -> {
                    if (!ConsulSpec.DATACENTER.matcher(value).matches()) {
                        throw new BackendSpecException("datacenter [" + ProviderContext.printable(value) + "] in [" + shown
                                + "] is not a datacenter name");
                    }
                    datacenter = once(datacenter, value, name, shown);
                }
                case "near" -> near = once(near, value, name, shown);
                case "filter" -> filter = once(filter, value, name, shown);
                case "health" -> health = health(value, shown);
                case "wait" -> wait = ConsulSpec.wait(value, shown);
                default -> throw new IllegalStateException("an option in OPTIONS without a case: " + name);
            }
        }
        return new ServiceSpec(spec, agent, service, tags, datacenter, near, nodeMeta, health, filter, wait, stale);
    }

    private static String decoded(String raw, String name, String shown) throws BackendSpecException {
        if (raw.length() > MAX_VALUE) {
            throw new BackendSpecException("option [" + ProviderContext.printable(name) + "] in [" + shown + "] is longer than "
                    + MAX_VALUE + " characters");
        }
        try {
            return KeyPaths.decode(raw);
        } catch (IllegalArgumentException e) {
            throw new BackendSpecException("option [" + ProviderContext.printable(name) + "] in [" + shown + "]: "
                    + ProviderContext.printable(e.getMessage()));
        }
    }

    private static Optional<String> once(Optional<String> before, String value, String name, String shown)
            throws BackendSpecException {
        if (before.isPresent()) {
            throw new BackendSpecException("option [" + name + "] is given twice in [" + shown + "]");
        }
        return Optional.of(value);
    }

    private static HealthFilter health(String value, String shown) throws BackendSpecException {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "passing" -> HealthFilter.PASSING;
            case "warning" -> HealthFilter.WARNING;
            case "any" -> HealthFilter.ANY;
            default -> throw new BackendSpecException("health [" + ProviderContext.printable(value) + "] in [" + shown
                    + "] is not one of [passing, warning, any]");
        };
    }

    /** Where the backends come from, for log lines and messages. */
    String describe() {
        return "Consul [" + agent + "] service [" + service + "]" + (tags.isEmpty() ? "" : " tags " + tags);
    }
}
