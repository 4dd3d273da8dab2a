package org.ambassadord.plugin.iptables;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.ambassadord.spi.NetworkSetup.NetworkSetupException;
import org.tinylog.Logger;

/**
 * Chooses legacy or nf_tables for a network namespace, the way Istio does: legacy when its
 * programs exist and the namespace already has legacy rules (a Docker engine on a legacy
 * host puts some into containers), else nf_tables, else whatever the plain names are.
 * Rules of both kinds are active together, but a table split across both is confusing to
 * inspect and to clean up.
 */
final class VariantDetector {

    /** The message for a system without any iptables programs. */
    static final String NOT_FOUND = "iptables not found: install Debian package iptables";

    private VariantDetector() {
    }

    static IptablesVariant detect(CommandRunner runner) throws NetworkSetupException {
        Optional<Path> legacySave = runner.find(IptablesVariant.LEGACY.program(IpFamily.IPV4, "save"));
        if (legacySave.isPresent() && hasRules(runner, legacySave.get())
                && IptablesTool.locate(runner, IptablesVariant.LEGACY, IpFamily.IPV4).isPresent()) {
            return IptablesVariant.LEGACY;
        }
        for (IptablesVariant variant : List.of(IptablesVariant.NFT, IptablesVariant.DEFAULT, IptablesVariant.LEGACY)) {
            if (IptablesTool.locate(runner, variant, IpFamily.IPV4).isPresent()) {
                return variant;
            }
        }
        throw new NetworkSetupException(NOT_FOUND);
    }

    /** Whether legacy iptables-save prints any rule, in any table. */
    private static boolean hasRules(CommandRunner runner, Path legacySave) {
        try {
            CommandResult result = runner.run(List.of(legacySave.toString()), null);
            // A failure (no permission, no x_tables in the kernel) means there is nothing of
            // legacy to follow; the chosen variant reports the real problem later.
            return result.succeeded() && result.stdout().lines().anyMatch(line -> line.startsWith("-A "));
        } catch (IOException e) {
            Logger.debug("cannot run {}: {}", legacySave, e.getMessage());
            return false;
        }
    }
}
