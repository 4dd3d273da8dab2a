package org.ambassadord.core.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.constantpool.PoolEntry;
import java.lang.classfile.constantpool.Utf8Entry;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Guards the relay's layout (issue 22): read from the compiled classes, every reference between
 * the relay's packages points down — {@code relay} → {@code loop}, {@code transfer},
 * {@code endpoint} → {@code stats} → {@code socket} — so there is no cycle, and the module
 * exports none of them.
 */
class RelayLayeringTest {

    private static final String RELAY = "org/ambassadord/core/relay";
    /** Higher may use lower; equal ranks may not use each other. */
    private static final Map<String, Integer> RANK = Map.of(
            "relay", 3, "loop", 2, "transfer", 2, "endpoint", 2, "stats", 1, "socket", 0);

    @Test
    void referencesBetweenRelayPackagesPointDown() throws IOException, URISyntaxException {
        Map<String, Set<String>> arrows = arrows();
        List<String> upward = new ArrayList<>();
        arrows.forEach((from, references) -> references.forEach(to -> {
            String a = packageOf(from);
            String b = packageOf(to);
            if (!a.equals(b) && RANK.get(a) <= RANK.get(b)) {
                upward.add(a + " -> " + b + ": " + from + " uses " + to);
            }
        }));
        assertEquals(List.of(), upward, "references that do not point down the relay's layers");
        assertEquals(RANK.keySet(), new TreeSet<>(arrows.keySet().stream().map(RelayLayeringTest::packageOf).toList()),
                "the relay's packages changed: update the layers here and in docs/ARCHITECTURE.md");
    }

    @Test
    void theModuleExportsNoRelayPackage() {
        Module core = RelayServer.class.getModule();
        assertTrue(core.isNamed(), "run on the module path");
        for (String pkg : core.getPackages()) {
            if (pkg.startsWith("org.ambassadord.core.relay")) {
                assertTrue(!core.getDescriptor().exports().stream().anyMatch(e -> e.source().equals(pkg)), pkg + " is exported");
            }
        }
    }

    /** Class (slashed name) → the relay classes its constant pool names, for every relay class. */
    private static Map<String, Set<String>> arrows() throws IOException, URISyntaxException {
        Path classes = Path.of(RelayServer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Map<String, Set<String>> arrows = new TreeMap<>();
        try (Stream<Path> files = Files.walk(classes.resolve(RELAY))) {
            for (Path file : files.filter(path -> path.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(file).toString().replace('\\', '/').replaceFirst("\\.class$", "");
                Set<String> references = new TreeSet<>();
                for (PoolEntry entry : ClassFile.of().parse(file).constantPool()) {
                    if (entry instanceof Utf8Entry utf8) {
                        collect(utf8.stringValue(), references);
                    }
                }
                references.remove(name);
                arrows.put(name, references);
            }
        }
        return arrows;
    }

    /** Every relay class named in a class name, descriptor or signature. */
    private static void collect(String text, Set<String> into) {
        int at = text.indexOf(RELAY + "/");
        while (at >= 0) {
            int end = at;
            while (end < text.length() && (Character.isJavaIdentifierPart(text.charAt(end)) || text.charAt(end) == '/')) {
                end++;
            }
            String name = text.substring(at, end);
            int nested = name.indexOf('$');
            into.add(nested < 0 ? name : name.substring(0, nested));
            at = text.indexOf(RELAY + "/", end);
        }
    }

    /** {@code relay} for the top package, else the subpackage's name. */
    private static String packageOf(String className) {
        String rest = className.substring(RELAY.length() + 1);
        int slash = rest.indexOf('/');
        return slash < 0 ? "relay" : rest.substring(0, slash);
    }
}
