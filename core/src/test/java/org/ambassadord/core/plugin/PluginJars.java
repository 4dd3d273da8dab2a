package org.ambassadord.core.plugin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;

import org.ambassadord.spi.BackendProvider;

/** Compiles and jars small plugins at test time, as a plugin author would build them. */
final class PluginJars {

    private final Path workDirectory;

    PluginJars(Path workDirectory) {
        this.workDirectory = workDirectory;
    }

    /**
     * A library jar without module descriptor (an automatic module once on a module path)
     * with one class {@code lib.Greeting} whose {@code text()} returns {@code text}.
     */
    Path library(String jarName, String text) throws IOException {
        Path source = workDirectory.resolve("src-" + jarName);
        write(source.resolve("lib/Greeting.java"),
                "package lib; public final class Greeting { public static String text() { return \"" + text + "\"; } }");
        return compileAndJar(source, jarName, List.of(), null);
    }

    /**
     * A plugin module {@code moduleName} providing a {@link BackendProvider} of {@code scheme}
     * whose description is {@code description}; extra {@code requires} and module path
     * entries make it depend on other jars.
     */
    Path provider(String jarName, String moduleName, String version, String scheme, String description,
                  List<String> extraRequires, List<Path> modulePath) throws IOException {
        Path source = workDirectory.resolve("src-" + jarName);
        String pkg = moduleName + ".impl";
        StringBuilder requires = new StringBuilder("requires org.ambassadord.spi; ");
        extraRequires.forEach(module -> requires.append("requires ").append(module).append("; "));
        write(source.resolve("module-info.java"), "module " + moduleName + " { " + requires
                + "provides org.ambassadord.spi.BackendProvider with " + pkg + ".TestProvider; }");
        write(source.resolve(pkg.replace('.', '/') + "/TestProvider.java"), String.join("\n",
                "package " + pkg + ";",
                "import org.ambassadord.spi.*;",
                "import java.net.InetSocketAddress;",
                "import java.util.*;",
                "import java.util.concurrent.*;",
                "public final class TestProvider implements BackendProvider {",
                "  public String scheme() { return \"" + scheme + "\"; }",
                "  public String description() { return " + description + "; }",
                "  public Backend open(String spec, ProviderContext context) {",
                "    return new Backend() {",
                "      public CompletionStage<List<InetSocketAddress>> resolve(ClientConnection c) {",
                "        return CompletableFuture.completedFuture(List.of()); }",
                "      public Set<Integer> listenPorts() { return Set.of(4242); }",
                "      public void close() { }",
                "    };",
                "  }",
                "}"));
        List<Path> fullPath = new ArrayList<>(modulePath);
        fullPath.add(spiLocation());
        return compileAndJar(source, jarName, fullPath, version);
    }

    private Path compileAndJar(Path source, String jarName, List<Path> modulePath, String version) throws IOException {
        Path classes = workDirectory.resolve("classes-" + jarName);
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "--release", "17"));
        if (!modulePath.isEmpty()) {
            args.add("--module-path");
            args.add(String.join(java.io.File.pathSeparator, modulePath.stream().map(Path::toString).toList()));
        }
        if (version != null) {
            args.add("--module-version");
            args.add(version);
        }
        try (Stream<Path> files = Files.walk(source)) {
            files.filter(file -> file.toString().endsWith(".java")).forEach(file -> args.add(file.toString()));
        }
        runTool("javac", args);
        Path jar = workDirectory.resolve("out").resolve(jarName);
        Files.createDirectories(jar.getParent());
        runTool("jar", List.of("--create", "--file", jar.toString(), "-C", classes.toString(), "."));
        return jar;
    }

    static Path spiLocation() {
        try {
            return Path.of(BackendProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void runTool(String name, List<String> args) {
        ToolProvider tool = ToolProvider.findFirst(name)
                .orElseThrow(() -> new IllegalStateException("the JDK tool [" + name + "] is missing: run the tests on a JDK"));
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8);
        int status = tool.run(print, print, args.toArray(String[]::new));
        if (status != 0) {
            throw new IllegalStateException(name + " failed: " + output.toString(StandardCharsets.UTF_8));
        }
    }

    private static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
