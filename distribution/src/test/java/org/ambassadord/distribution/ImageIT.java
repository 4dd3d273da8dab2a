package org.ambassadord.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jlink image as users run it: help, providers, relaying, bad input, SIGTERM. */
class ImageIT {

    @Test
    void helpListsOptions() throws Exception {
        ImageProcess.Result help = ImageProcess.run("--help");
        assertEquals(0, help.status(), help.err());
        assertTrue(help.out().contains("--connect-timeout"), help.out());
        assertTrue(help.out().contains("--list-providers"), help.out());
    }

    @Test
    void listsTheBuiltInProviders() throws Exception {
        ImageProcess.Result list = ImageProcess.run("--list-providers");
        assertEquals(0, list.status(), list.err());
        assertTrue(list.out().lines().anyMatch(line -> line.startsWith("static") && line.contains("org.ambassadord.plugin.hostport")
                && line.contains("built-in")), list.out());
    }

    /**
     * Each plugin folder's descriptor (read at start instead of defining the layer) names
     * exactly the schemes its layer serves once defined, as {@code --list-providers} shows.
     */
    @Test
    void pluginDescriptorsMatchTheirLayers() throws Exception {
        ImageProcess.Result list = ImageProcess.run("--list-providers");
        assertEquals(0, list.status(), list.err());
        java.nio.file.Path plugins = ImageProcess.launcher().getParent().resolveSibling("plugins");
        try (java.util.stream.Stream<java.nio.file.Path> folders = java.nio.file.Files.list(plugins)) {
            for (java.nio.file.Path folder : folders.toList()) {
                java.util.Properties descriptor = new java.util.Properties();
                try (java.io.Reader in = java.nio.file.Files.newBufferedReader(folder.resolve("ambassadord-plugin.properties"))) {
                    descriptor.load(in);
                }
                String name = folder.getFileName().toString();
                java.util.Set<String> served = list.out().lines().map(line -> line.split("\\s+"))
                        .filter(columns -> columns.length > 3 && columns[3].equals(name) && !columns[0].startsWith("("))
                        .map(columns -> columns[0]).collect(java.util.stream.Collectors.toSet());
                assertEquals(java.util.Set.of(descriptor.getProperty("schemes").split(",")), served,
                        "plugin folder [" + name + "]:\n" + list.out());
            }
        }
    }

    /**
     * Every explicit module among the plugin jars carries its package list (ModulePackages),
     * so that defining its layer does not list the jar, and the list holds every package
     * with a class this JDK would load from the jar.
     */
    @Test
    void pluginModulesListTheirPackages() throws Exception {
        Path plugins = ImageProcess.launcher().getParent().resolveSibling("plugins");
        java.util.List<String> problems = new java.util.ArrayList<>();
        int explicit = 0;
        try (java.util.stream.Stream<Path> jars = Files.walk(plugins)) {
            for (Path jar : jars.filter(file -> file.toString().endsWith(".jar")).sorted().toList()) {
                try (java.util.jar.JarFile file = new java.util.jar.JarFile(jar.toFile(), true, java.util.zip.ZipFile.OPEN_READ,
                        Runtime.version())) {
                    java.util.jar.JarEntry descriptor = file.getJarEntry("module-info.class");
                    if (descriptor == null) {
                        continue; // an automatic module: the JDK always lists those
                    }
                    explicit++;
                    String bytes = new String(file.getInputStream(descriptor).readAllBytes(), StandardCharsets.ISO_8859_1);
                    if (!bytes.contains("ModulePackages")) {
                        problems.add(plugins.relativize(jar) + ": no ModulePackages attribute");
                        continue;
                    }
                    java.util.Set<String> declared = java.lang.module.ModuleFinder.of(jar).findAll().iterator().next()
                            .descriptor().packages();
                    file.versionedStream().map(java.util.jar.JarEntry::getName)
                            .filter(name -> name.endsWith(".class") && !name.endsWith("module-info.class")
                                    && !name.startsWith("META-INF/") && name.contains("/"))
                            .map(name -> name.substring(0, name.lastIndexOf('/')).replace('/', '.'))
                            .filter(pkg -> !declared.contains(pkg)).distinct()
                            .forEach(pkg -> problems.add(plugins.relativize(jar) + ": package [" + pkg + "] not declared"));
                }
            }
        }
        assertTrue(explicit > 10, "only " + explicit + " explicit modules among the plugin jars");
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    /**
     * No plugin jar is a module the image already has: the layer would resolve the image's
     * module anyway, so the jar is only weight (the image-size goal of issue 13).
     */
    @Test
    void noPluginJarShadowsAModuleOfTheImage() throws Exception {
        Path home = ImageProcess.launcher().getParent().getParent();
        Process listing = new ProcessBuilder(home.resolve("bin/java").toString(), "--list-modules")
                .redirectErrorStream(true).start();
        java.util.Set<String> imageModules = new String(listing.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                .lines().map(line -> line.replaceFirst("@.*", "")).collect(java.util.stream.Collectors.toSet());
        assertEquals(0, listing.waitFor());
        assertTrue(imageModules.contains("java.base"), imageModules.toString());
        java.util.List<String> shadowing = new java.util.ArrayList<>();
        try (java.util.stream.Stream<Path> jars = Files.walk(home.resolve("plugins"))) {
            for (Path jar : jars.filter(file -> file.toString().endsWith(".jar")).toList()) {
                for (java.lang.module.ModuleReference module : java.lang.module.ModuleFinder.of(jar).findAll()) {
                    if (imageModules.contains(module.descriptor().name())) {
                        shadowing.add(home.relativize(jar) + " (" + module.descriptor().name() + ")");
                    }
                }
            }
        }
        assertTrue(shadowing.isEmpty(), "plugin jars that the image already has: " + shadowing);
    }

    @Test
    void reportsABrokenPluginByNameAndStillLists(@TempDir Path plugins) throws Exception {
        Files.writeString(plugins.resolve("broken-plugin.jar"), "not a jar");
        ImageProcess.Result list = ImageProcess.run("--plugins", plugins.toString(), "--list-providers");
        assertEquals(0, list.status(), list.err());
        assertTrue(list.out().contains("broken-plugin.jar"), list.out());
        assertTrue(list.err().contains("plugin [broken-plugin.jar] not loaded"), list.err());
        assertTrue(list.out().lines().anyMatch(line -> line.startsWith("static")), list.out());
    }

    @Test
    void badSpecExitsWithTwoAndOneLine() throws Exception {
        ImageProcess.Result bad = ImageProcess.run("redis.example.com:99999");
        assertEquals(2, bad.status());
        assertEquals("ambassadord: port [99999] of [redis.example.com:99999] is out of range 1-65535", bad.err().strip());
    }

    @Test
    void relaysBytesAndStopsOnSigterm() throws Exception {
        try (ServerSocket backend = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            // Serves every connection: the readiness probe is relayed too.
            CompletableFuture<Void> served = new CompletableFuture<>();
            Thread server = new Thread(() -> {
                while (!backend.isClosed()) {
                    try (Socket socket = backend.accept()) {
                        socket.setSoTimeout(30_000);
                        byte[] request = socket.getInputStream().readAllBytes();
                        socket.getOutputStream().write(("echo:" + new String(request, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
                        if (request.length > 0) {
                            served.complete(null);
                        }
                    } catch (IOException e) {
                        served.completeExceptionally(e);
                        return;
                    }
                }
            }, "backend");
            server.setDaemon(true);
            server.start();
            int port = ImageProcess.freePort();
            try (ImageProcess relay = ImageProcess.start(Map.of("AMBASSADORD_PORT", String.valueOf(port)),
                    "127.0.0.1:" + backend.getLocalPort())) {
                relay.awaitListening(port);
                try (Socket client = new Socket("127.0.0.1", port)) {
                    client.setSoTimeout(30_000);
                    client.getOutputStream().write("through the image".getBytes(StandardCharsets.UTF_8));
                    client.shutdownOutput();
                    assertEquals("echo:through the image",
                            new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                }
                served.get(30, java.util.concurrent.TimeUnit.SECONDS);
                relay.terminate();
                String log = relay.log();
                assertTrue(log.contains("listening on [*:" + port + "]"), log);
                assertTrue(log.contains("stopped: accepted=") && !log.contains("relayed=0"), log);
            }
        }
    }

    /**
     * A malformed IP literal is one line and exit 2, and the name service is never asked for
     * it (issue 21): under strace, no /etc/hosts, no resolv.conf, no connection to port 53. A
     * host name in the same trace does all three, which shows the trace would see a look-up.
     */
    @Test
    void aMalformedLiteralIsNeverLookedUp(@TempDir Path scratch) throws Exception {
        if (!Files.isExecutable(Path.of("/usr/bin/strace"))) {
            org.junit.jupiter.api.Assertions.fail("/usr/bin/strace not found: install Debian package strace (.ci/test does)");
        }
        String lookups = "(?s).*(/etc/hosts|/etc/resolv\\.conf|htons\\(53\\)).*";
        for (String spec : java.util.List.of("[zz:1]:80", "[.:]:80", "[%:]:80", "1.2.3.999:80")) {
            Path trace = scratch.resolve("trace");
            ImageProcess.Result refused = ImageProcess.run(java.util.List.of("/usr/bin/strace", "-f", "-qq",
                    "-e", "trace=openat,connect", "-o", trace.toString()), "--check", "--no-connect", spec);
            assertEquals(2, refused.status(), spec + ": " + refused.err());
            assertEquals(1, refused.err().strip().lines().count(), refused.err());
            assertTrue(refused.err().startsWith("ambassadord: ["), refused.err());
            assertFalse(Files.readString(trace).matches(lookups), spec + " was looked up:\n" + Files.readString(trace));
        }
        Path trace = scratch.resolve("control");
        ImageProcess.run(java.util.List.of("/usr/bin/strace", "-f", "-qq", "-e", "trace=openat,connect", "-o",
                trace.toString()), "--check", "--no-connect", "nosuch.invalid:80");
        assertTrue(Files.readString(trace).matches(lookups), "the trace shows no look-up of a host name either");
    }

    /** The image ships its trained AOT cache, and the JVM maps it with the launcher's own options. */
    @Test
    void mapsItsAotCache() throws Exception {
        Path cache = ImageProcess.launcher().getParent().getParent().resolve("lib/server/ambassadord.aot");
        assertTrue(Files.size(cache) > 1_000_000, cache + " is missing or small");
        int port = ImageProcess.freePort();
        try (ImageProcess relay = ImageProcess.start(Map.of("JAVA_OPTS", "-Xlog:aot=info:stderr"),
                "--port", String.valueOf(port), "127.0.0.1:1")) {
            relay.awaitListening(port);
            relay.terminate();
            String log = relay.log();
            assertTrue(log.contains("Opened AOT cache " + cache), log);
            assertFalse(log.contains("AOT cache [") || log.contains("Unable to use AOT cache"), log);
        }
    }

    /**
     * JVM options the cache was not trained with (compact object headers) make the JVM refuse
     * it: the relay starts all the same and says so in exactly one line, with no JVM report.
     */
    @Test
    void startsWithoutARejectedAotCacheAndSaysSoOnce() throws Exception {
        int port = ImageProcess.freePort();
        try (ImageProcess relay = ImageProcess.start(Map.of("JAVA_OPTS", "-XX:+UseCompactObjectHeaders"),
                "--port", String.valueOf(port), "127.0.0.1:1")) {
            relay.awaitListening(port);
            relay.terminate();
            String log = relay.log();
            assertEquals(1, log.lines().filter(line -> line.contains("AOT cache")).count(), log);
            assertTrue(log.lines().anyMatch(line -> line.contains("WARN") && line.contains("AOT cache [")
                    && line.contains("not used")), log);
            assertFalse(log.contains("[aot]") || log.contains("[cds]"), log);
        }
    }
}
