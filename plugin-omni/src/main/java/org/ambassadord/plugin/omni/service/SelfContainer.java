package org.ambassadord.plugin.omni.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The id of the container this ambassador runs in, when it runs in one: Docker mounts
 * {@code /etc/hostname} from {@code .../containers/<id>/hostname}, which
 * {@code /proc/self/mountinfo} names; else {@code HOSTNAME}, which Docker sets to the id's
 * first 12 characters unless {@code --hostname} says otherwise. Read once, at open.
 */
public final class SelfContainer {

    private static final String MARK = "/containers/";

    private SelfContainer() {
    }

    /** The full id, or a 12-character prefix from {@code HOSTNAME}; empty outside a container. */
    public static Optional<String> id(Path mountinfo, Map<String, String> environment) {
        try {
            for (String line : Files.readAllLines(mountinfo)) {
                Optional<String> id = idIn(line);
                if (id.isPresent()) {
                    return id;
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            // not Linux, or no /proc: HOSTNAME below
        }
        String hostname = environment.getOrDefault("HOSTNAME", "");
        return hostname.length() == 12 && hex(hostname, 0, 12) ? Optional.of(hostname) : Optional.empty();
    }

    /** {@code .../containers/<64 hex>/hostname} anywhere in a mountinfo line; linear. */
    static Optional<String> idIn(String line) {
        int at = line.indexOf(MARK);
        while (at >= 0) {
            int start = at + MARK.length();
            int end = start + 64;
            if (end < line.length() && line.charAt(end) == '/' && hex(line, start, end)
                    && line.startsWith("hostname", end + 1)) {
                return Optional.of(line.substring(start, end));
            }
            at = line.indexOf(MARK, start);
        }
        return Optional.empty();
    }

    private static boolean hex(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }
}
