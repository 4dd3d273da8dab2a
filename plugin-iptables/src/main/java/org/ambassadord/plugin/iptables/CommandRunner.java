package org.ambassadord.plugin.iptables;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where iptables programs run. In production they run directly, in the network namespace of
 * the process; tests run them inside a network namespace of their own (through
 * {@code ip netns exec}) so that the host's rules are never touched.
 */
interface CommandRunner {

    /**
     * Finds an executable program by name.
     *
     * @return its absolute path, or empty when it is not installed
     */
    Optional<Path> find(String program);

    /**
     * Runs a program to completion.
     *
     * @param command the program (an absolute path from {@link #find}) and its arguments
     * @param stdin   text fed to its standard input, or {@code null} for none
     * @throws IOException when it cannot be started or does not finish in time
     */
    CommandResult run(List<String> command, String stdin) throws IOException;

    /**
     * Reads a file as the programs would see it; {@code /proc/net} files differ per network
     * namespace.
     *
     * @return the content, or empty when the file does not exist or cannot be read
     */
    Optional<String> readFile(String path);
}
