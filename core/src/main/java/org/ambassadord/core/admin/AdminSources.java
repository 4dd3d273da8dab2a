package org.ambassadord.core.admin;

import java.util.Optional;
import java.util.function.IntSupplier;

import org.ambassadord.core.accesslog.AccessLog;
import org.ambassadord.core.logging.RefusalLog;
import org.ambassadord.core.relay.RelayServer;

/**
 * Everything the admin endpoint reads, and nothing it could change: the relay (for its
 * summed counters and listeners), the observed operator backend, the refusal and access
 * logs' counts,
 * and in omni mode the number of backends open for containers.
 *
 * @param version       the ambassadord version, for {@code /status}
 * @param startedMillis when the process started listening
 */
public record AdminSources(RelayServer relay, ObservedBackend backend, RefusalLog refusals, AccessLog accessLog,
                           Optional<IntSupplier> containerBackends, String version, long startedMillis) {
}
