package org.ambassadord.core.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.beust.jcommander.JCommander;
import com.beust.jcommander.ParameterDescription;

/**
 * The one source of {@code --help} and of the man page {@code ambassadord(1)}: usage lines per
 * mode, the backend spec forms, the options by topic (defaults as a user types them, the
 * environment variable beside each), and examples. Descriptions and defaults come from the
 * options themselves (JCommander); this class only orders and groups them, and
 * {@code HelpTextTest} fails when an option has no topic.
 */
final class HelpText {

    /** A topic and its options, in the order shown. */
    record Topic(String title, List<String> options) {
    }

    static final List<String[]> USAGE = List.of(
            new String[] {"ambassadord [options] BACKEND", "forward every connection to the backend spec"},
            new String[] {"ambassadord [options] --links", "forward each Docker link port to its link"},
            new String[] {"ambassadord [options] --omnimode", "one ambassador for every container of the host"},
            new String[] {"ambassadord --setup-iptables [--exclude-ports P,...]", "in the ambassador's network namespace (NET_ADMIN)"},
            new String[] {"ambassadord --check [--no-connect] BACKEND", "print what BACKEND names now, try each endpoint, exit"});

    static final List<String[]> SPECS = List.of(
            new String[] {"host:port[,host:port...]  [v6addr]:port", "static endpoints; names resolved again every 5 s"},
            new String[] {"NAME  srv://NAME[?dns=host:port]", "DNS SRV (a bare name such as redis.service.consul)"},
            new String[] {"etcd://host:2379[,host:port]/path", "etcd v3 key, watched; TLS and user from ETCDCTL_*"},
            new String[] {"consul://host[:8500]/key/path[?dc=..&wait=..]", "Consul KV, blocking queries; token and TLS from CONSUL_*"},
            new String[] {"links://  omni://[?docker=unix:///...]", "what --links and --omnimode stand for"});

    static final List<Topic> TOPICS = List.of(
            new Topic("Modes", List.of("--links", "--omnimode", "--setup-iptables", "--teardown-iptables", "--dry-run",
                    "--exclude-ports", "--check", "--no-connect")),
            new Topic("Listening", List.of("--port", "--bind", "--max-connections", "--loops")),
            new Topic("Relay tuning", List.of("--balance", "--buffer-size", "--no-splice", "--event-loop", "--proxy-protocol")),
            new Topic("Timeouts and limits", List.of("--connect-timeout", "--resolve-timeout", "--connect-deadline",
                    "--max-attempts", "--idle-timeout", "--half-close-timeout", "--tcp-keepalive", "--drain-timeout")),
            new Topic("Failing endpoints", List.of("--eject-after", "--health-check")),
            new Topic("Fairness under load", List.of("--max-connections-per-client", "--connection-rate-per-client",
                    "--max-connections-per-endpoint", "--queue-timeout", "--slow-start")),
            new Topic("TLS", List.of("--tls-cert", "--tls-key", "--tls-client-ca", "--upstream-tls", "--upstream-ca",
                    "--upstream-cert", "--upstream-key", "--upstream-sni", "--upstream-verify-name", "--tls-handshake-timeout")),
            new Topic("Security and policy (omni mode)", List.of("--omni-schemes", "--allow-upstream", "--deny-upstream",
                    "--credential-hosts", "--omni-max-specs", "--omni-max-specs-per-container")),
            new Topic("Operations", List.of("--admin", "--access-log", "--access-log-format")),
            new Topic("Logging", List.of("--log-level", "--log-format")),
            new Topic("Plugins and information", List.of("--plugins", "--list-providers", "--version", "--help")));

    static final List<String[]> EXAMPLES = List.of(
            new String[] {"ambassadord --port 8080 127.0.0.1:80", "a static forward, listening on 8080"},
            new String[] {"ambassadord --admin 0.0.0.0:9901 etcd://172.17.0.1:2379/services/redis",
                    "backends from etcd, with /metrics and /status"},
            new String[] {"ambassadord --check redis.service.consul", "what a DNS SRV name gives right now"});

    /** Defaults that depend on the machine or live elsewhere, as the help should say them. */
    private static final Map<String, String> DESCRIBED_DEFAULTS = Map.of(
            "--loops", "one per core",
            "--buffer-size", "128 KiB",
            "--plugins", "the image's plugins/");

    /** One option as shown. */
    record Entry(String names, String argument, String description, String defaultValue, String variable) {
    }

    private final Map<String, ParameterDescription> byName = new TreeMap<>();

    HelpText(JCommander commander) {
        for (ParameterDescription parameter : commander.getParameters()) {
            if (!parameter.getParameter().hidden()) {
                byName.put(parameter.getLongestName(), parameter);
            }
        }
    }

    /** Options that no topic lists; empty when the help is complete. */
    List<String> withoutTopic() {
        List<String> listed = TOPICS.stream().flatMap(topic -> topic.options().stream()).toList();
        return byName.keySet().stream().filter(name -> !listed.contains(name)).toList();
    }

    /** The entries of each topic, in order. */
    Map<String, List<Entry>> entries() {
        Map<String, List<Entry>> topics = new LinkedHashMap<>();
        for (Topic topic : TOPICS) {
            List<Entry> entries = new ArrayList<>();
            for (String option : topic.options()) {
                ParameterDescription parameter = byName.get(option);
                if (parameter != null) {
                    entries.add(entry(parameter));
                }
            }
            topics.put(topic.title(), entries);
        }
        return topics;
    }

    private static Entry entry(ParameterDescription parameter) {
        String longest = parameter.getLongestName();
        boolean flag = parameter.getParameterized().getType() == boolean.class;
        String names = String.join(", ", List.of(parameter.getParameter().names()));
        String argument = flag ? "" : argumentName(parameter);
        String defaultValue = DESCRIBED_DEFAULTS.getOrDefault(longest, flag ? "" : format(parameter.getDefault()));
        String variable = longest.equals("--help") || longest.equals("--version") || longest.equals("--list-providers")
                || longest.equals("--check") || longest.equals("--no-connect") ? "" : EnvironmentDefaults.variableFor(longest);
        return new Entry(names, argument, parameter.getDescription(), defaultValue, variable);
    }

    private static String argumentName(ParameterDescription parameter) {
        Class<?> type = parameter.getParameterized().getType();
        if (type == Duration.class) {
            return "DURATION";
        }
        if (type == int.class || type == Integer.class) {
            return parameter.getLongestName().contains("port") ? "PORT" : "N";
        }
        if (Collection.class.isAssignableFrom(type)) {
            return "LIST";
        }
        String name = parameter.getLongestName();
        if (name.startsWith("--tls-") || name.startsWith("--upstream-")) {
            return name.endsWith("-cert") || name.endsWith("-key") || name.endsWith("-ca") ? "FILE" : "NAME";
        }
        return "VALUE";
    }

    /** A default as a user types it: 5s, 1h, 128; nothing for none. */
    static String format(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Duration duration) {
            if (duration.isZero()) {
                return "0 (off)";
            }
            long millis = duration.toMillis();
            if (millis % 3_600_000 == 0) {
                return millis / 3_600_000 + "h";
            }
            if (millis % 60_000 == 0) {
                return millis / 60_000 + "m";
            }
            return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
        }
        if (value instanceof Collection<?> collection) {
            return collection.isEmpty() ? "" : String.join(",", collection.stream().map(String::valueOf).toList());
        }
        String text = String.valueOf(value);
        return text.equals("0") ? "0 (none)" : text;
    }

    /** The plain-text help, for {@code --help}. */
    String plain() {
        StringBuilder out = new StringBuilder("Usage:\n");
        USAGE.forEach(line -> out.append(String.format("  %-52s %s%n", line[0], line[1])));
        out.append("\nBackend specs:\n");
        SPECS.forEach(line -> out.append(String.format("  %-52s %s%n", line[0], line[1])));
        entries().forEach((title, entries) -> {
            out.append('\n').append(title).append(":\n");
            for (Entry entry : entries) {
                String head = entry.names() + (entry.argument().isEmpty() ? "" : " " + entry.argument());
                out.append(String.format("  %-34s %s%n", head, entry.description()));
                List<String> extra = new ArrayList<>();
                if (!entry.defaultValue().isEmpty()) {
                    extra.add("default " + entry.defaultValue());
                }
                if (!entry.variable().isEmpty()) {
                    extra.add("env " + entry.variable());
                }
                if (!extra.isEmpty()) {
                    out.append(String.format("  %-34s (%s)%n", "", String.join("; ", extra)));
                }
            }
        });
        out.append("\nExamples:\n");
        EXAMPLES.forEach(line -> out.append("  ").append(line[0]).append("\n      ").append(line[1]).append('\n'));
        out.append("\nEvery option can also be set as AMBASSADORD_<OPTION> (shown as env above); the backend as ")
                .append(EnvironmentDefaults.BACKEND_VARIABLE).append(". Manual: man ambassadord.\n");
        return out.toString();
    }

    /** The same as a man page, {@code ambassadord(1)} in roff (man macros). */
    String manPage(String version) {
        StringBuilder out = new StringBuilder();
        out.append(".TH AMBASSADORD 1 \"\" \"ambassadord ").append(roff(version)).append("\" \"User Commands\"\n");
        out.append(".SH NAME\nambassadord \\- a Docker ambassador: a TCP proxy to backends found statically, in DNS SRV,"
                + " etcd, Consul, Docker links, or the connecting container's BACKEND_<port>\n");
        out.append(".SH SYNOPSIS\n");
        USAGE.forEach(line -> out.append(".TP\n.B ").append(roff(line[0])).append('\n').append(roff(line[1])).append('\n'));
        out.append(".SH BACKEND SPECS\n");
        SPECS.forEach(line -> out.append(".TP\n.B ").append(roff(line[0])).append('\n').append(roff(line[1])).append('\n'));
        out.append(".SH OPTIONS\n");
        entries().forEach((title, entries) -> {
            out.append(".SS ").append(roff(title)).append('\n');
            for (Entry entry : entries) {
                out.append(".TP\n.B ").append(roff(entry.names()));
                if (!entry.argument().isEmpty()) {
                    out.append(" \\fI").append(entry.argument()).append("\\fR");
                }
                out.append('\n').append(roff(entry.description()));
                if (!entry.defaultValue().isEmpty()) {
                    out.append(" Default: ").append(roff(entry.defaultValue())).append('.');
                }
                if (!entry.variable().isEmpty()) {
                    out.append(" Environment: ").append(roff(entry.variable())).append('.');
                }
                out.append('\n');
            }
        });
        out.append(".SH EXAMPLES\n");
        EXAMPLES.forEach(line -> out.append(".TP\n.B ").append(roff(line[0])).append('\n').append(roff(line[1])).append('\n'));
        out.append(".SH ENVIRONMENT\nEvery option can also be set as AMBASSADORD_<OPTION>; the backend spec as ")
                .append(EnvironmentDefaults.BACKEND_VARIABLE).append(".\n");
        out.append(".SH EXIT STATUS\n0 on success (and --check when an endpoint accepts), 1 when --check finds no"
                + " endpoint that accepts, 2 for a usage error, 70 when an event loop died, 143 after SIGTERM.\n");
        return out.toString();
    }

    /** Escapes text for roff: backslashes, and a leading dot or quote. */
    private static String roff(String text) {
        String escaped = text.replace("\\", "\\e").replace("-", "\\-");
        return escaped.startsWith(".") || escaped.startsWith("'") ? "\\&" + escaped : escaped;
    }
}
