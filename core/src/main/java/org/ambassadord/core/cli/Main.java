package org.ambassadord.core.cli;

/** The {@code ambassadord} command. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        StartupWarmUp.start();
        int status = new Cli(System.getenv(), System.out, System.err).run(args);
        // Log lines are written by a background thread: flush them before the exit.
        LoggingSetup.shutdown();
        if (status != Cli.OK) {
            System.exit(status);
        }
    }
}
