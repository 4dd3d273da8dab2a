package org.ambassadord.core.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.IntSupplier;

import com.beust.jcommander.JCommander;
import com.beust.jcommander.ParameterException;

import org.ambassadord.core.accesslog.AccessLog;
import org.ambassadord.core.admin.AdminServer;
import org.ambassadord.core.admin.AdminSources;
import org.ambassadord.core.admin.ObservedBackend;
import org.ambassadord.core.dispatch.BackendDispatcher;
import org.ambassadord.core.plugin.Discovered;
import org.ambassadord.core.plugin.InstalledServices;
import org.ambassadord.core.logging.RefusalLog;
import org.ambassadord.core.plugin.PluginLoader;
import org.ambassadord.core.policy.PolicedBackend;
import org.ambassadord.spi.Backend;
import org.ambassadord.spi.BackendSpecException;
import org.ambassadord.spi.OriginalDestinationLookup;
import org.ambassadord.core.tls.TlsFileWatcher;
import org.ambassadord.core.tls.TlsHops;
import org.tinylog.Logger;
import org.ambassadord.core.relay.ProxyProtocol;
import org.ambassadord.core.relay.RelayLimits;
import org.ambassadord.core.relay.RelayServer;
import org.ambassadord.core.fairness.FairnessSettings;
import org.ambassadord.core.relay.RelaySettings;
import org.ambassadord.core.relay.endpoint.BalancePolicy;
import org.ambassadord.core.relay.loop.EventLoopKind;
import org.ambassadord.core.relay.socket.Addresses;
import org.ambassadord.core.relay.stats.RelayObservers;

/**
 * One run of the command: parse, load plugins, then list, set up the network, or relay until
 * SIGTERM. Every user error ends here as one line on standard error and exit code 2.
 */
public final class Cli {

    /** Success. */
    public static final int OK = 0;
    /** The relay or a set-up failed at run time (a port in use, iptables refused). */
    public static final int FAILED = 1;
    /** Bad command line, spec or plugin set. */
    public static final int USAGE = 2;
    /** An event loop died at run time (EX_SOFTWARE). */
    public static final int LOOP_DIED = 70;

    private final Map<String, String> environment;
    private final PrintStream out;
    private final PrintStream err;

    public Cli(Map<String, String> environment, PrintStream out, PrintStream err) {
        this.environment = Map.copyOf(environment);
        this.out = out;
        this.err = err;
    }

    /** Runs the command; in relay mode it returns only after shutdown. */
    public int run(String... args) {
        Options options = new Options();
        JCommander commander = JCommander.newBuilder()
                .programName("ambassadord")
                .addObject(options)
                .defaultProvider(new EnvironmentDefaults(environment))
                .build();
        try {
            commander.parse(args);
        } catch (ParameterException e) {
            return usageError(e.getMessage() + " (see --help)");
        }
        Optional<String> unknown = UnknownOptions.check(options.backend, commander);
        if (unknown.isPresent()) {
            return usageError(unknown.get());
        }
        if (options.help) {
            out.print(new HelpText(commander).plain());
            return OK;
        }
        if (options.man) {
            out.print(new HelpText(commander).manPage(Version.current()));
            return OK;
        }
        if (options.version) {
            out.println("ambassadord " + Version.current());
            return OK;
        }
        try {
            return execute(options);
        } catch (UsageException e) {
            return usageError(e.getMessage());
        }
    }

    private int execute(Options options) throws UsageException {
        LoggingSetup.configure(checked(() -> LoggingSetup.validLevel(options.logLevel)), options.logFormat);
        AotCacheCheck.warning().ifPresent(Logger::warn);
        BalancePolicy balance = checked(() -> BalancePolicy.parse(options.balance));
        // Plugin folders are indexed, not defined: a layer is defined when a spec needs it.
        PluginLoader plugins = PluginLoader.index(pluginsDirectory(options));
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, daemonThreads());
        PolicyOptions policy = checked(() -> PolicyOptions.from(options, scheduler));
        RelayLimits limits = checked(() -> new RelayLimits(options.idleTimeout, options.halfCloseTimeout,
                options.tcpKeepalive, options.maxConnections, options.maxAttempts, options.ejectAfter,
                options.connectDeadline, options.healthCheck));
        FairnessSettings fairness = checked(() -> new FairnessSettings(options.maxConnectionsPerClient,
                options.connectionRatePerClient, options.slowStart, options.maxConnectionsPerEndpoint, options.queueTimeout));
        ProxyProtocol proxyProtocol = checked(() -> ProxyProtocol.parse(options.proxyProtocol));
        EventLoopKind eventLoop = checked(() -> EventLoopKind.parse(options.eventLoop));
        TlsHops tls = checked(() -> TlsOptions.from(options));
        tls.upstream().ifPresent(upstream -> upstream.presentCertificateToContainerChosen(policy.containers()::isCredentialEndpoint));
        BackendDispatcher dispatcher;
        try {
            dispatcher = BackendDispatcher.create(plugins.installed().backendProviders(), plugins, scheduler, environment,
                    Optional.of(policy.containers()));
        } catch (BackendDispatcher.DuplicateSchemeException e) {
            throw new UsageException(e.getMessage());
        }
        if (options.listProviders) {
            new ProviderListing(out).print(plugins.defineAll());
            return OK;
        }
        if (options.setupIptables || options.teardownIptables) {
            return new NetworkSetupCommand(plugins.installed().networkSetups(), out, err).run(options);
        }
        String spec = new ModeSelection(dispatcher, environment).specFor(options);
        Optional<InetSocketAddress> admin = checked(() -> AdminAddress.parse(options.admin));
        // Every option is checked before the backend opens, so that a mistake leaves nothing open.
        AccessLog accessLog = checked(() -> AccessLogOption.open(options.accessLog, options.accessLogFormat, spec));
        ObservedBackend backend;
        try {
            Backend opened = dispatcher.open(spec);
            backend = new ObservedBackend(policy.operator().hasRules()
                    ? new PolicedBackend(opened, policy.operator(), () -> { }) : opened, spec);
        } catch (BackendSpecException e) {
            throw new UsageException(e.getMessage());
        }
        if (options.check) {
            return check(options, spec, dispatcher, backend, tls);
        }
        RelaySettings settings = settings(options, backend, balance, limits, fairness, proxyProtocol, eventLoop);
        settings = settings.withTls(tls);
        RefusalLog refusals = new RefusalLog().sweptBy(scheduler);
        // Only omni mode opens specs for containers (it is the backend that needs SO_ORIGINAL_DST).
        Optional<IntSupplier> containerBackends = dispatcher.containers()
                .filter(containers -> backend.needsOriginalDestination())
                .map(containers -> (IntSupplier) containers::openBackends);
        return relay(backend, settings, options, plugins.installed(), refusals, accessLog,
                server -> admin.isEmpty() ? Optional.empty() : Optional.of(AdminServer.start(admin.get(),
                        new AdminSources(server, backend, refusals, accessLog, containerBackends, Version.current(),
                                System.currentTimeMillis()))));
    }

    /** {@code --check}: the spec's answer now, and whether its endpoints accept; the backend is closed after. */
    private int check(Options options, String spec, BackendDispatcher dispatcher, Backend backend, TlsHops tls)
            throws UsageException {
        try (backend) {
            String provider;
            try {
                provider = "scheme [" + dispatcher.schemeServing(spec) + "]";
            } catch (BackendSpecException e) {
                provider = "(unknown)";
            }
            SpecCheck check = new SpecCheck(out, options.resolveTimeout, options.connectTimeout, !options.noConnect,
                    tls.upstream());
            if (!backend.needsOriginalDestination()) {
                int port = options.port != null ? options.port : backend.listenPorts().stream().sorted().findFirst().orElse(0);
                return check.run(spec, provider, backend, SpecCheck.localConnection(port));
            }
            // Omni mode: what one container's connection to one port would get, policy included.
            if (options.container == null || options.port == null) {
                throw new UsageException("--check of " + spec + " needs --container NAME and --port PORT: each container"
                        + " names its own backends");
            }
            java.util.Optional<java.net.InetAddress> address = backend.addressOfClient(options.container);
            if (address.isEmpty()) {
                out.printf("container  [%s] is not running, or has no address the ambassador can see%n", options.container);
                return SpecCheck.NOTHING_ACCEPTS;
            }
            out.printf("container  [%s] at %s, dialling port %d%n", options.container, address.get().getHostAddress(),
                    options.port);
            InetSocketAddress listener = new InetSocketAddress(backend.listenPorts().stream().findFirst().orElse(10000));
            return check.run(spec, provider, backend, new org.ambassadord.spi.ClientConnection(
                    new InetSocketAddress(address.get(), 40000), listener,
                    Optional.of(new InetSocketAddress(address.get(), options.port))));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return FAILED;
        }
    }

    /** Starts the admin endpoint once the relay listens, if one was asked for. */
    private interface AdminStarter {
        Optional<AdminServer> start(RelayServer server) throws IOException;
    }

    private int relay(Backend backend, RelaySettings settings, Options options, InstalledServices services,
                      RefusalLog refusals, AccessLog accessLog, AdminStarter adminStarter) {
        Optional<OriginalDestinationLookup> lookup = services.originalDestinationLookups().stream()
                .map(Discovered::service).findFirst();
        RelayServer server;
        try {
            server = RelayServer.start(backend, settings, lookup,
                    new RelayObservers(refusals, accessLog, Cli::exitOnLoopDeath));
        } catch (IOException e) {
            backend.close();
            err.println("ambassadord: " + e.getMessage());
            return FAILED;
        }
        Optional<TlsFileWatcher> tlsReload = watchTlsFiles(settings);
        Optional<AdminServer> admin;
        try {
            admin = adminStarter.start(server);
        } catch (IOException e) {
            backend.close();
            closeQuietly(server);
            err.println("ambassadord: " + e.getMessage());
            return FAILED;
        }
        Logger.info("ambassadord {} listening on {} ({} loops)", Version.current(),
                server.listenAddresses().stream().map(Addresses::format).toList(), settings.loops());
        admin.ifPresent(endpoint -> Logger.info("admin endpoint on http://{}/ (metrics, healthz, readyz, status)",
                Addresses.format(endpoint.address())));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            new GracefulStop(server, backend, options.drainTimeout, admin, accessLog).run();
            stopped.countDown();
        }, "shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tlsReload.ifPresent(TlsFileWatcher::close);
        settings.tls().close();
        return OK;
    }

    /** Certificates and keys are reloaded when their folders change; without a watch they serve as loaded. */
    private static Optional<TlsFileWatcher> watchTlsFiles(RelaySettings settings) {
        if (!settings.tls().any() || settings.tls().reloadable().isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(TlsFileWatcher.start(settings.tls().reloadable()));
        } catch (IOException e) {
            Logger.warn("TLS files will not be reloaded when they change: cannot watch their folders ({})", e.getMessage());
            return Optional.empty();
        }
    }

    private RelaySettings settings(Options options, Backend backend, BalancePolicy balance, RelayLimits limits, FairnessSettings fairness,
                                   ProxyProtocol proxyProtocol, EventLoopKind eventLoop)
            throws UsageException {
        List<Integer> ports = new ArrayList<>(backend.listenPorts());
        if (options.port != null) {
            if (ports.size() > 1) {
                backend.close();
                throw new UsageException("--port [" + options.port + "] cannot replace the several ports " + ports
                        + " this backend listens on");
            }
            ports = List.of(options.port);
        }
        InetAddress bind = null;
        if (options.bind != null) {
            try {
                bind = InetAddress.getByName(options.bind);
            } catch (UnknownHostException e) {
                backend.close();
                throw new UsageException("--bind [" + options.bind + "] is not a local address");
            }
        }
        int loops = options.loops != null ? options.loops : Runtime.getRuntime().availableProcessors();
        int bufferSize = options.bufferSize != null ? options.bufferSize : RelaySettings.DEFAULT_BUFFER_SIZE;
        try {
            return new RelaySettings(bind, ports, loops, bufferSize, !options.noSplice, options.connectTimeout,
                    options.resolveTimeout, balance, limits, proxyProtocol, eventLoop)
                    .withFairness(fairness);
        } catch (IllegalArgumentException e) {
            backend.close();
            throw new UsageException(e.getMessage());
        }
    }

    /**
     * A loop died (a fatal JVM error): its listener would accept connections nobody serves.
     * Exit non-zero with the reason in one line, so that a supervisor restarts the process;
     * the shutdown hook still drains what the other loops hold.
     */
    private static void exitOnLoopDeath(String reason) {
        System.err.println("ambassadord: relay loop " + reason + "; exiting");
        // From another thread: exit waits for the shutdown hook, which waits for the loops.
        new Thread(() -> System.exit(LOOP_DIED), "exit").start();
    }

    private static void closeQuietly(RelayServer server) {
        try {
            server.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Path pluginsDirectory(Options options) {
        if (options.plugins != null) {
            return Path.of(options.plugins);
        }
        String home = System.getProperty("ambassadord.home");
        return home == null ? null : Path.of(home, "plugins");
    }

    private int usageError(String message) {
        err.println("ambassadord: " + org.ambassadord.core.logging.LogText.joinLines(message, " "));
        return USAGE;
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
        return runnable -> {
            Thread thread = new Thread(runnable, "background");
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Runs a validation that throws {@link IllegalArgumentException} with a user message. */
    private static <T> T checked(java.util.function.Supplier<T> validation) throws UsageException {
        try {
            return validation.get();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
