package org.ambassadord.spi;

import java.io.PrintStream;
import java.util.Objects;
import java.util.Set;

/**
 * What a {@link NetworkSetup} is asked to do.
 *
 * @param action        install or remove the set-up
 * @param redirectPort  the port incoming connections are sent to (the omni listener, 10000)
 * @param excludedPorts destination ports left alone (not redirected)
 * @param dryRun        print what would be applied instead of applying it
 * @param out           where to print the dry-run output and progress
 */
public record NetworkSetupRequest(
        Action action,
        int redirectPort,
        Set<Integer> excludedPorts,
        boolean dryRun,
        PrintStream out) {

    /** Install or remove. */
    public enum Action { SETUP, TEARDOWN }

    public NetworkSetupRequest {
        Objects.requireNonNull(action, "action");
        excludedPorts = Set.copyOf(excludedPorts);
        Objects.requireNonNull(out, "out");
    }
}
