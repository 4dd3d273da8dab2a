/**
 * The ambassadord process: command line, plugin loading, the scheme dispatcher and the NIO
 * relay. It names no concrete provider: every backend, network set-up and original
 * destination lookup is found through {@link java.util.ServiceLoader}.
 */
module org.ambassadord.core {
    requires org.ambassadord.spi;
    requires jcommander;
    requires org.tinylog.api;
    // The console writer that keeps every log entry on one line (logging.OneLineConsoleWriter).
    requires org.tinylog.impl;
    // splice(2) for the zero-copy relay path (relay.socket.LinuxCalls); in the image a named module
    // made by the distribution, on a plain module path an automatic one.
    requires org.jnrproject.jffi;
    // The admin endpoint (--admin): the JDK's HTTP server, Prometheus' model and text
    // format, JSON for /status, and the JVM's memory figures.
    requires jdk.httpserver;
    requires io.prometheus.metrics.model;
    requires io.prometheus.writer.text;
    requires com.fasterxml.jackson.core;
    requires java.management;
    // MaxDirectMemorySize, the ceiling of the relay's buffer pools.
    requires jdk.management;
    // TCP keepalive idle time, interval and count on backend sockets.
    requires jdk.net;

    // PEM keys for TLS on either hop (tls.PemFiles): PKCS#8, PKCS#1 RSA and SEC1 EC.
    requires org.bouncycastle.pkix;
    requires org.bouncycastle.provider;

    // JCommander fills the options object reflectively.
    opens org.ambassadord.core.cli to jcommander;
    // tinylog makes its writers reflectively, by the class names in META-INF/services (it reads
    // the files itself, so no provides clause: its writers take a Map in their constructor).
    opens org.ambassadord.core.logging to org.tinylog.api;

    uses org.ambassadord.spi.BackendProvider;
    uses org.ambassadord.spi.NetworkSetup;
    uses org.ambassadord.spi.OriginalDestinationLookup;
}
