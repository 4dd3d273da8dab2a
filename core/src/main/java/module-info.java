/**
 * The ambassadord process: command line, plugin loading, the scheme dispatcher and the NIO
 * relay. It names no concrete provider: every backend, network set-up and original
 * destination lookup is found through {@link java.util.ServiceLoader}.
 */
module org.ambassadord.core {
    requires org.ambassadord.spi;
    requires jcommander;
    requires org.tinylog.api;

    // JCommander fills the options object reflectively.
    opens org.ambassadord.core.cli to jcommander;

    uses org.ambassadord.spi.BackendProvider;
    uses org.ambassadord.spi.NetworkSetup;
    uses org.ambassadord.spi.OriginalDestinationLookup;
}
