package org.ambassadord.core.cli;

import org.ambassadord.core.relay.NativeWarmUp;

/** The {@code ambassadord} command. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        // jffi and the relay's C functions bind on the second core while the command line is
        // parsed and the backend opened (see NativeWarmUp).
        NativeWarmUp.start();
        int status = new Cli(System.getenv(), System.out, System.err).run(args);
        // Log lines are written by a background thread: flush them before the exit.
        LoggingSetup.shutdown();
        if (status != Cli.OK) {
            System.exit(status);
        }
    }
}
