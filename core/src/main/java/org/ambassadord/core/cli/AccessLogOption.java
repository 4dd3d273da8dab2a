package org.ambassadord.core.cli;

import java.nio.file.Files;
import java.nio.file.Path;

import org.ambassadord.core.accesslog.AccessFormat;
import org.ambassadord.core.accesslog.AccessLog;
import org.ambassadord.core.accesslog.QueuedAccessLog;

/** {@code --access-log PATH|stdout|off} and {@code --access-log-format text|json}. */
final class AccessLogOption {

    private AccessLogOption() {
    }

    /** @throws IllegalArgumentException with a one-line message */
    static AccessLog open(String where, String formatName, String spec) {
        AccessFormat format = AccessFormat.parse(formatName);
        String target = where == null ? "off" : where.strip();
        if (target.isEmpty() || target.equals("off")) {
            return AccessLog.OFF;
        }
        if (target.equals("stdout")) {
            return new QueuedAccessLog(format, spec, QueuedAccessLog.Destination.stdout(), "stdout");
        }
        Path path = Path.of(target);
        Path parent = path.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new IllegalArgumentException("--access-log [" + target + "]: directory [" + parent + "] does not exist");
        }
        if (Files.isDirectory(path)) {
            throw new IllegalArgumentException("--access-log [" + target + "] is a directory; name a file");
        }
        return new QueuedAccessLog(format, spec, QueuedAccessLog.Destination.file(path), target);
    }
}
