package org.ambassadord.core.plugin;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a plugin folder serves, written into it at build time ({@value #FILE_NAME}): its
 * schemes, and whether specs without {@code scheme://} may be its. With it the core indexes
 * the folder without defining its layer; a folder without one (a third party's plugin, a
 * plain jar) is loaded at start as before.
 *
 * @param schemes    the schemes of its backend providers
 * @param schemeless whether one of them claims specs without a scheme (a DNS SRV name)
 */
record PluginDescriptor(Set<String> schemes, boolean schemeless) {

    static final String FILE_NAME = "ambassadord-plugin.properties";

    /**
     * The descriptor of a plugin folder, if it has one.
     *
     * @throws IOException when the file exists but cannot be read or names no scheme
     */
    static Optional<PluginDescriptor> of(Path entry) throws IOException {
        Path file = entry.resolve(FILE_NAME);
        if (!Files.isDirectory(entry) || !Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        }
        Set<String> schemes = Arrays.stream(properties.getProperty("schemes", "").split(","))
                .map(String::strip).filter(scheme -> !scheme.isEmpty()).collect(Collectors.toUnmodifiableSet());
        if (schemes.isEmpty()) {
            throw new IOException(FILE_NAME + " names no scheme (schemes=...)");
        }
        return Optional.of(new PluginDescriptor(schemes, Boolean.parseBoolean(properties.getProperty("schemeless", "false"))));
    }
}
