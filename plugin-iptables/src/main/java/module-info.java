/**
 * {@code --setup-iptables} and {@code --teardown-iptables}: installs, in the current network
 * namespace, the nat rules that send every incoming TCP connection to the omni listener.
 * Runs the {@code iptables-save} / {@code iptables-restore} programs of the Debian
 * {@code iptables} package; no third-party Java dependencies.
 */
module org.ambassadord.plugin.iptables {
    requires org.ambassadord.spi;
    requires org.tinylog.api;

    provides org.ambassadord.spi.NetworkSetup with org.ambassadord.plugin.iptables.IptablesNetworkSetup;
}
