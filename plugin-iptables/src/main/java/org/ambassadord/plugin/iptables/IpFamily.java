package org.ambassadord.plugin.iptables;

/** The address family a set of rules applies to; each has its own iptables programs. */
enum IpFamily {
    IPV4("iptables", "IPv4"),
    IPV6("ip6tables", "IPv6");

    private final String programStem;
    private final String label;

    IpFamily(String programStem, String label) {
        this.programStem = programStem;
        this.label = label;
    }

    /** {@code iptables} or {@code ip6tables}. */
    String programStem() {
        return programStem;
    }

    @Override
    public String toString() {
        return label;
    }
}
