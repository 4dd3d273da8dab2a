package org.ambassadord.plugin.iptables;

/**
 * How an external program ended.
 *
 * @param exitCode its exit status
 * @param stdout   everything it printed on standard output
 * @param stderr   everything it printed on standard error
 */
record CommandResult(int exitCode, String stdout, String stderr) {

    boolean succeeded() {
        return exitCode == 0;
    }

    /** The first non-blank line of standard error, or of standard output if that is empty. */
    String firstErrorLine() {
        for (String text : new String[] {stderr, stdout}) {
            for (String line : text.split("\n")) {
                if (!line.isBlank()) {
                    return line.strip();
                }
            }
        }
        return "(no output)";
    }
}
