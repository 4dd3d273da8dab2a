package org.ambassadord.core.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;

import org.ambassadord.core.policy.ContainerSpecPolicy;

/**
 * The command line. Every option can also come from the environment: {@code --connect-timeout}
 * from {@code AMBASSADORD_CONNECT_TIMEOUT}, and so on (see {@link EnvironmentDefaults}); the
 * command line wins.
 */
@Parameters(separators = "= ")
final class Options {

    @Parameter(description = "BACKEND  (host:port[,host:port...], a DNS SRV name, or scheme://...)")
    List<String> backend = new ArrayList<>();

    @Parameter(names = "--links", description = "Forward each Docker link port to its link (needs plugin-links)")
    boolean links;

    @Parameter(names = "--omnimode", description = "Omni mode: each client container names its own backends in BACKEND_<port> (needs plugin-omni)")
    boolean omniMode;

    @Parameter(names = "--setup-iptables", description = "Install the nat rules that send incoming TCP to the omni port, then exit (needs plugin-iptables)")
    boolean setupIptables;

    @Parameter(names = "--teardown-iptables", description = "Remove the rules --setup-iptables installed, then exit")
    boolean teardownIptables;

    @Parameter(names = "--dry-run", description = "With --setup-iptables/--teardown-iptables: print the rules instead of applying them")
    boolean dryRun;

    @Parameter(names = "--exclude-ports", description = "With --setup-iptables: destination ports not to redirect, comma-separated",
            converter = PortConverter.class)
    List<Integer> excludePorts = new ArrayList<>();

    @Parameter(names = "--port", description = "Listen on this port instead of the one the backend implies", converter = PortConverter.class)
    Integer port;

    @Parameter(names = "--bind", description = "Local address to listen on (default: all addresses, IPv6 and IPv4)")
    String bind;

    @Parameter(names = "--plugins", description = "Directory of plugin jars and folders (default: the image's plugins/)")
    String plugins;

    @Parameter(names = "--connect-timeout", description = "Time one backend endpoint has to accept a connection",
            converter = DurationConverter.class)
    Duration connectTimeout = Duration.ofSeconds(5);

    @Parameter(names = "--resolve-timeout", description = "Time a backend has to name endpoints for a connection",
            converter = DurationConverter.class)
    Duration resolveTimeout = Duration.ofSeconds(10);

    @Parameter(names = "--drain-timeout", description = "On SIGTERM: time open connections have to finish",
            converter = DurationConverter.class)
    Duration drainTimeout = Duration.ofSeconds(8);

    @Parameter(names = "--idle-timeout", description = "Close a relayed connection after this long with no byte either way (0: never)",
            converter = DurationConverter.class)
    Duration idleTimeout = Duration.ofHours(1);

    @Parameter(names = "--half-close-timeout", description = "Close a connection this long after one side ended and the other went quiet (0: never)",
            converter = DurationConverter.class)
    Duration halfCloseTimeout = Duration.ofMinutes(1);

    @Parameter(names = "--tcp-keepalive", description = "TCP keepalive idle time on both sockets, so vanished peers are noticed (0: off)",
            converter = DurationConverter.class)
    Duration tcpKeepalive = Duration.ofMinutes(2);

    @Parameter(names = "--max-connections", description = "Open connections at most; accepting pauses at the cap (0: no cap)")
    int maxConnections = 0;

    @Parameter(names = "--max-connections-per-client", description = "Open connections one client (source address; in omni mode its container) may hold; over it a new one is closed at once (0: no cap)")
    int maxConnectionsPerClient = 0;

    @Parameter(names = "--connection-rate-per-client", description = "New connections per second one client may open, refused ones counted too; over it they are closed at once (0: no limit)")
    int connectionRatePerClient = 0;

    @Parameter(names = "--max-connections-per-endpoint", description = "Open connections one endpoint gets; at the cap it is skipped, and when all are, connections wait in line (0: no cap)")
    int maxConnectionsPerEndpoint = 0;

    @Parameter(names = "--queue-timeout", description = "How long a connection waits for an endpoint below --max-connections-per-endpoint before it is refused",
            converter = DurationConverter.class)
    Duration queueTimeout = Duration.ofSeconds(5);

    @Parameter(names = "--slow-start", description = "Ramp an endpoint new to the set or back from ejection from 10% to its full weight over this long (0: off)",
            converter = DurationConverter.class)
    Duration slowStart = Duration.ZERO;

    @Parameter(names = "--max-attempts", description = "Endpoints one connection tries at most")
    int maxAttempts = 3;

    @Parameter(names = "--connect-deadline", description = "No further endpoint is tried once this long has passed since the first connect attempt",
            converter = DurationConverter.class)
    Duration connectDeadline = Duration.ofSeconds(15);

    @Parameter(names = "--eject-after", description = "Consecutive connect failures that eject an endpoint for a back-off (0: never)")
    int ejectAfter = 3;

    @Parameter(names = "--health-check", description = "Probe every endpoint with a TCP connect this often; failures eject it as clients' failures do (0: off)",
            converter = DurationConverter.class)
    Duration healthCheck = Duration.ZERO;

    @Parameter(names = "--proxy-protocol", description = "Send backends a PROXY protocol header (v1 text or v2 binary) with the client's address first: off, v1 or v2")
    String proxyProtocol = "off";

    @Parameter(names = "--tls-cert", description = "PEM certificate chain the listener serves: clients speak TLS to the ambassador (with --tls-key)")
    String tlsCert;

    @Parameter(names = "--tls-key", description = "PEM private key of --tls-cert: PKCS#8, PKCS#1 RSA or SEC1 EC, unencrypted")
    String tlsKey;

    @Parameter(names = "--tls-client-ca", description = "PEM bundle of the CAs whose client certificates the listener requires (mutual TLS)")
    String tlsClientCa;

    @Parameter(names = "--upstream-tls", description = "Speak TLS to the backends, verifying their certificates (always: there is no insecure mode)")
    boolean upstreamTls;

    @Parameter(names = "--upstream-ca", description = "PEM bundle of the CAs that sign the backends' certificates (default: the JDK's trust store)")
    String upstreamCa;

    @Parameter(names = "--upstream-cert", description = "PEM certificate chain to present to backends (mutual TLS); with --upstream-key")
    String upstreamCert;

    @Parameter(names = "--upstream-key", description = "PEM private key of --upstream-cert: PKCS#8, PKCS#1 RSA or SEC1 EC, unencrypted")
    String upstreamKey;

    @Parameter(names = "--upstream-sni", description = "Server name to send (default: the host name the spec named; none for a bare IP)")
    String upstreamSni;

    @Parameter(names = "--upstream-verify-name", description = "Name the backend's certificate must carry (default: the SNI; with neither, the endpoint's IP)")
    String upstreamVerifyName;

    @Parameter(names = "--tls-handshake-timeout", description = "How long a TLS handshake may take before the endpoint counts as failed",
            converter = DurationConverter.class)
    Duration tlsHandshakeTimeout = Duration.ofSeconds(10);

    @Parameter(names = "--balance", description = "How connections are spread over endpoints: random, round-robin or least-conn (fewest open connections per weight)")
    String balance = "random";

    @Parameter(names = "--loops", description = "Event loop threads (default: one per core)")
    Integer loops;

    @Parameter(names = "--buffer-size", description = "Bytes one direction of a stalled connection may hold (a buffer, or the capacity of a pipe)")
    Integer bufferSize;

    @Parameter(names = "--no-splice", description = "Move bytes through buffers instead of splice(2) through pipes (the default on Linux)")
    boolean noSplice;

    @Parameter(names = "--event-loop", description = "How loops poll and make sockets: epoll (system calls through"
            + " jffi; falls back to nio where it cannot work) or nio (the JDK's selector)")
    String eventLoop = "epoll";

    @Parameter(names = "--omni-schemes", description = "Schemes a container may use in BACKEND_<port>, comma-separated"
            + " (default: static,srv,etcd,consul; never omni or links)")
    List<String> omniSchemes = new ArrayList<>();

    @Parameter(names = "--allow-upstream", description = "Endpoints backends may connect to: CIDR[:port[-port]],..."
            + " ([v6/len]:port for IPv6); an endpoint no entry matches is refused")
    List<String> allowUpstream = new ArrayList<>();

    @Parameter(names = "--deny-upstream", description = "Endpoints backends may never connect to: CIDR[:port[-port]],...")
    List<String> denyUpstream = new ArrayList<>();

    @Parameter(names = "--credential-hosts", description = "Hosts (host or host:port) that container-chosen specs may"
            + " send the operator's credentials to, such as CONSUL_HTTP_TOKEN; default none")
    List<String> credentialHosts = new ArrayList<>();

    @Parameter(names = "--omni-max-specs", description = "Backends open for container-chosen specs, in all")
    int omniMaxSpecs = ContainerSpecPolicy.DEFAULT_MAX_SPECS;

    @Parameter(names = "--omni-max-specs-per-container", description = "Backends one container's specs may have open")
    int omniMaxSpecsPerContainer = ContainerSpecPolicy.DEFAULT_MAX_SPECS_PER_CONTAINER;

    @Parameter(names = "--admin", description = "Serve /metrics, /healthz, /readyz and /status on [host:]port"
            + " (a bare port binds 127.0.0.1; off by default)")
    String admin;

    @Parameter(names = "--access-log", description = "One line per closed connection to PATH, stdout, or off")
    String accessLog = "off";

    @Parameter(names = "--access-log-format", description = "text or json")
    String accessLogFormat = "text";

    @Parameter(names = "--log-level", description = "trace, debug, info, warn or error")
    String logLevel = "info";

    @Parameter(names = "--log-format", description = "tinylog format pattern of a log line")
    String logFormat = LoggingSetup.DEFAULT_FORMAT;

    @Parameter(names = "--check", description = "Open the backend spec as a run would, print the endpoints it names now and try a TCP connect to each, then exit: 0 when one accepts, 1 otherwise")
    boolean check;

    @Parameter(names = "--container", description = "With --check --omnimode: the container (name or id) whose connection to --port is checked")
    String container;

    @Parameter(names = "--no-connect", description = "With --check: print the endpoints without trying to connect")
    boolean noConnect;

    @Parameter(names = "--list-providers", description = "List the installed providers and plugins, then exit")
    boolean listProviders;

    @Parameter(names = "--man", hidden = true, description = "Print the manual page ambassadord(1) in roff, then exit (the build writes it into the image)")
    boolean man;

    @Parameter(names = "--version", description = "Print the version, then exit")
    boolean version;

    @Parameter(names = {"--help", "-h"}, help = true, description = "Print this help, then exit")
    boolean help;
}
