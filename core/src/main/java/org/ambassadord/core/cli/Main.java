package org.ambassadord.core.cli;

/** The {@code ambassadord} command. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        int status = new Cli(System.getenv(), System.out, System.err).run(args);
        if (status != Cli.OK) {
            System.exit(status);
        }
    }
}
