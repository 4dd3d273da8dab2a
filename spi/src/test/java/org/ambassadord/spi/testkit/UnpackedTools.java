package org.ambassadord.spi.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Binaries that {@code .ci/debian-package} unpacks under the repository's {@code target/tools}
 * (bullseye's consul, sid's dockerd), found from any module's working directory.
 */
final class UnpackedTools {

    private UnpackedTools() {
    }

    /**
     * The executable named by the environment variable, else {@code <repository>/<relative>}
     * looked for in the working directory and each of its parents.
     */
    static Optional<Path> find(String variable, String relative) {
        String configured = System.getenv(variable);
        if (configured != null && Files.isExecutable(Path.of(configured))) {
            return Optional.of(Path.of(configured));
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path unpacked = dir.resolve(relative);
            if (Files.isExecutable(unpacked)) {
                return Optional.of(unpacked);
            }
        }
        return Optional.empty();
    }
}
