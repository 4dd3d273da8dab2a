package org.ambassadord.spi;

/**
 * A one-shot change to the host's network set-up made instead of running the relay, such as
 * installing the iptables rules that send every incoming TCP connection to the omni port
 * ({@code --setup-iptables}). A side effect, not a backend, hence its own service.
 *
 * <p>Found with {@link java.util.ServiceLoader}; the core selects one by {@link #name()}.
 * Called on the start-up thread; may block and run external programs.
 */
public interface NetworkSetup {

    /** The name the command line selects it by, e.g. {@code iptables}. */
    String name();

    /**
     * Applies, removes or prints the set-up.
     *
     * @param request what to do and how
     * @throws NetworkSetupException with a one-line message for the user when it fails
     */
    void apply(NetworkSetupRequest request) throws NetworkSetupException;

    /** A failed {@link NetworkSetup}; the message is shown to the user as one line. */
    class NetworkSetupException extends Exception {
        private static final long serialVersionUID = 1L;

        public NetworkSetupException(String message) {
            super(message);
        }

        public NetworkSetupException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
