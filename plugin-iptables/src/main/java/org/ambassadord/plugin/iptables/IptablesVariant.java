package org.ambassadord.plugin.iptables;

/**
 * Which kernel interface the iptables programs drive. Debian ships both: {@code
 * iptables-legacy-*} (x_tables) and {@code iptables-nft-*} (nf_tables), with the plain
 * {@code iptables-*} names pointing at one of them; older distributions have only the plain
 * names. Rules of both kinds are active at once, so ours must go where the namespace's
 * existing rules are (see {@link VariantDetector}).
 */
enum IptablesVariant {
    LEGACY("-legacy", "legacy"),
    NFT("-nft", "nf_tables"),
    /** The plain names, whatever they point at. */
    DEFAULT("", "default");

    private final String suffix;
    private final String label;

    IptablesVariant(String suffix, String label) {
        this.suffix = suffix;
        this.label = label;
    }

    /**
     * The program name for a family and a tool, such as {@code ip6tables-nft-restore}.
     *
     * @param tool {@code save} or {@code restore}
     */
    String program(IpFamily family, String tool) {
        return family.programStem() + suffix + "-" + tool;
    }

    @Override
    public String toString() {
        return label;
    }
}
