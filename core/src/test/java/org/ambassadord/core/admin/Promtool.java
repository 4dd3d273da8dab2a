package org.ambassadord.core.admin;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds {@code promtool}; a test that needs it fails saying what to install. */
final class Promtool {

    private Promtool() {
    }

    static String path() {
        for (String candidate : new String[] {"/usr/bin/promtool", "/usr/local/bin/promtool"}) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        return fail("promtool not found: install Debian package prometheus (.ci/test does)");
    }
}
