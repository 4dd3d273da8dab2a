import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.attribute.ModulePackagesAttribute;
import java.lang.constant.PackageDesc;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Build step of the image (distribution/pom.xml), run with {@code java ModulePackages.java DIR...}:
 * gives every modular jar under the plugin folders a {@code ModulePackages} attribute in the
 * module descriptor this JDK reads, when the jar's build left it out (javac never writes it;
 * the jar tool does).
 *
 * <p>Without it the JDK's module finder lists every entry of the jar to learn its packages
 * each time a plugin layer is defined, which was most of the time an srv:// or etcd:// start
 * spends on its layer (docs/PERFORMANCE.md). The packages are computed as the finder computes
 * them ({@code ModulePath.jarPackages}): every entry outside META-INF visible to this JDK
 * (versioned ones included), a class's package, or a resource's folder when that is a legal
 * package name. Signed jars and jars that already have the attribute are left as they are.
 */
public final class ModulePackages {

    private static final int RUNTIME = Runtime.version().feature();
    private static final String VERSIONS = "META-INF/versions/";

    public static void main(String[] args) throws IOException {
        for (String directory : args) {
            try (Stream<Path> files = Files.walk(Path.of(directory))) {
                for (Path jar : files.filter(file -> file.toString().endsWith(".jar")).sorted().toList()) {
                    index(jar).ifPresent(packages -> System.out.println("module packages: " + jar.getFileName()
                            + " gets " + packages + " package(s)"));
                }
            }
        }
    }

    /** The number of packages written, if the jar's descriptor needed them. */
    private static Optional<Integer> index(Path jar) throws IOException {
        try (FileSystem zip = FileSystems.newFileSystem(URI.create("jar:" + jar.toUri()), Map.of())) {
            List<String> names;
            try (Stream<Path> entries = Files.walk(zip.getPath("/"))) {
                names = entries.filter(Files::isRegularFile).map(path -> path.toString().substring(1)).toList();
            }
            if (names.stream().anyMatch(name -> name.startsWith("META-INF/") && name.endsWith(".SF"))) {
                return Optional.empty();
            }
            Optional<String> descriptor = descriptorFor(names);
            if (descriptor.isEmpty()) {
                return Optional.empty();
            }
            Path path = zip.getPath("/" + descriptor.get());
            ClassModel model = ClassFile.of().parse(Files.readAllBytes(path));
            if (model.findAttribute(java.lang.classfile.Attributes.modulePackages()).isPresent()) {
                return Optional.empty();
            }
            Set<String> packages = packagesOf(names);
            byte[] indexed = ClassFile.of().transformClass(model, ClassTransform.endHandler(builder ->
                    builder.with(ModulePackagesAttribute.ofNames(packages.stream().map(PackageDesc::of).toList()))));
            Files.write(path, indexed);
            return Optional.of(packages.size());
        }
    }

    /** The module-info.class this JDK reads: the highest version not above it, else the root one. */
    private static Optional<String> descriptorFor(List<String> names) {
        return names.stream()
                .filter(name -> name.equals("module-info.class")
                        || name.startsWith(VERSIONS) && name.endsWith("/module-info.class")
                        && version(name) <= RUNTIME)
                .max((a, b) -> Integer.compare(versionOrZero(a), versionOrZero(b)));
    }

    private static Set<String> packagesOf(List<String> names) {
        Set<String> packages = new TreeSet<>();
        for (String name : names) {
            String visible = name;
            if (name.startsWith(VERSIONS)) {
                if (version(name) > RUNTIME) {
                    continue;
                }
                visible = name.substring(name.indexOf('/', VERSIONS.length()) + 1);
            } else if (name.startsWith("META-INF/")) {
                continue;
            }
            int slash = visible.lastIndexOf('/');
            if (slash <= 0 || visible.equals("module-info.class")) {
                continue;
            }
            String candidate = visible.substring(0, slash).replace('/', '.');
            if (visible.endsWith(".class") || isPackageName(candidate)) {
                packages.add(candidate);
            }
        }
        return packages;
    }

    private static int versionOrZero(String name) {
        return name.startsWith(VERSIONS) ? version(name) : 0;
    }

    private static int version(String name) {
        String number = name.substring(VERSIONS.length(), name.indexOf('/', VERSIONS.length()));
        try {
            return Integer.parseInt(number);
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }

    private static boolean isPackageName(String name) {
        for (String part : name.split("\\.", -1)) {
            if (part.isEmpty() || !Character.isJavaIdentifierStart(part.charAt(0))
                    || !part.chars().skip(1).allMatch(Character::isJavaIdentifierPart) || isKeyword(part)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isKeyword(String word) {
        return javax.lang.model.SourceVersion.isKeyword(word);
    }
}
