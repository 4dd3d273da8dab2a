package org.ambassadord.plugin.iptables;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.ambassadord.spi.NetworkSetup.NetworkSetupException;

/**
 * The save and restore programs of one variant and one family, for example
 * {@code ip6tables-nft-save} and {@code ip6tables-nft-restore}, and the translation of their
 * failures into one-line messages for the user.
 */
final class IptablesTool {

    /** The text iptables prints when the process lacks CAP_NET_ADMIN in the namespace. */
    private static final Pattern PERMISSION_DENIED =
            Pattern.compile("permission denied|operation not permitted|you must be root", Pattern.CASE_INSENSITIVE);
    private static final Pattern VERSION = Pattern.compile("v(\\d+)\\.(\\d+)\\.(\\d+)");

    private final CommandRunner runner;
    private final IptablesVariant variant;
    private final IpFamily family;
    private final Path save;
    private final Path restore;
    private final boolean supportsWait;

    private IptablesTool(CommandRunner runner, IptablesVariant variant, IpFamily family,
                         Path save, Path restore, boolean supportsWait) {
        this.runner = runner;
        this.variant = variant;
        this.family = family;
        this.save = save;
        this.restore = restore;
        this.supportsWait = supportsWait;
    }

    /**
     * Finds the programs of a variant and family.
     *
     * @return empty when either program is not installed
     */
    static Optional<IptablesTool> locate(CommandRunner runner, IptablesVariant variant, IpFamily family) {
        Optional<Path> save = runner.find(variant.program(family, "save"));
        Optional<Path> restore = runner.find(variant.program(family, "restore"));
        if (save.isEmpty() || restore.isEmpty()) {
            return Optional.empty();
        }
        boolean wait = variant != IptablesVariant.DEFAULT || supportsWait(runner, restore.get());
        return Optional.of(new IptablesTool(runner, variant, family, save.get(), restore.get(), wait));
    }

    /**
     * Legacy iptables-restore learnt {@code --wait} (wait for the xtables lock instead of
     * failing when another program holds it) in 1.6.2 and rejects it before; the
     * {@code -legacy} and {@code -nft} names only exist since 1.8, so only the plain name
     * needs asking.
     */
    private static boolean supportsWait(CommandRunner runner, Path restore) {
        try {
            CommandResult result = runner.run(List.of(restore.toString(), "--version"), null);
            Matcher version = VERSION.matcher(result.stdout() + result.stderr());
            if (!version.find()) {
                return false;
            }
            int[] parts = {Integer.parseInt(version.group(1)), Integer.parseInt(version.group(2)),
                    Integer.parseInt(version.group(3))};
            return parts[0] > 1 || parts[1] > 6 || (parts[1] == 6 && parts[2] >= 2);
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    IpFamily family() {
        return family;
    }

    /** The current nat table, as {@code <family>-save -t nat} prints it. */
    String saveNat() throws NetworkSetupException {
        return check(run(List.of(save.toString(), "-t", "nat"), null), save);
    }

    /** Applies a payload atomically, keeping every rule it does not mention. */
    void restore(String payload) throws NetworkSetupException {
        List<String> command = new ArrayList<>(List.of(restore.toString(), "--noflush"));
        if (supportsWait) {
            command.add("--wait");
        }
        check(run(command, payload), restore);
    }

    private CommandResult run(List<String> command, String stdin) throws NetworkSetupException {
        try {
            return runner.run(command, stdin);
        } catch (IOException e) {
            throw new NetworkSetupException("cannot run [" + command.get(0) + "]: " + e.getMessage(), e);
        }
    }

    private String check(CommandResult result, Path program) throws NetworkSetupException {
        if (result.succeeded()) {
            return result.stdout();
        }
        String name = program.getFileName().toString();
        String error = result.firstErrorLine();
        if (PERMISSION_DENIED.matcher(result.stderr()).find()) {
            throw new NetworkSetupException("permission denied running [" + name + "] (" + error
                    + "): changing iptables rules needs the NET_ADMIN capability; run the container with"
                    + " --cap-add NET_ADMIN (or --privileged)" + (runsAsRoot() ? "" : " and as root (--user root)"));
        }
        throw new NetworkSetupException("[" + name + "] failed with exit status " + result.exitCode()
                + ": " + error);
    }

    /**
     * A non-root user gets no effective capabilities from {@code --cap-add}, so the hint must
     * say so; read from {@code /proc} because the JDK has no portable way to ask for the uid.
     */
    private static boolean runsAsRoot() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(line -> line.startsWith("Uid:"))
                    .anyMatch(line -> line.split("\\s+")[2].equals("0"));
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    @Override
    public String toString() {
        return family.programStem() + " (" + variant + ", " + family + ")";
    }
}
