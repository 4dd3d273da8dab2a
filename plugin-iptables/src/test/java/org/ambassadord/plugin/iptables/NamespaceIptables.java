package org.ambassadord.plugin.iptables;

import java.util.List;

import org.ambassadord.spi.testkit.NetworkNamespaces;

/**
 * The iptables side of the testkit's {@link NetworkNamespaces}: the programs these tests
 * need, the set-up's command runner inside a namespace, and a namespace's nat tables as text.
 */
final class NamespaceIptables {

    private NamespaceIptables() {
    }

    /** Fails the test unless the programs the namespace tests run are installed. */
    static void requirePrograms() {
        for (String program : List.of("iptables-nft-save", "iptables-legacy-save", "ip6tables-nft-save")) {
            NetworkNamespaces.requireProgram(program, "iptables");
        }
        NetworkNamespaces.requireProgram("bash", "bash");
    }

    /** A runner whose programs run inside the namespace. */
    static ProcessCommandRunner runnerIn(String namespace) {
        return new ProcessCommandRunner(List.of("ip", "netns", "exec", namespace),
                ProcessCommandRunner.defaultSearchPath(System.getenv("PATH")));
    }

    /**
     * The namespace's nat tables of both families as iptables-save prints them, without the
     * timestamp comments and packet counters that change on their own.
     */
    static String natTables(NetworkNamespaces namespaces, String namespace, String variantSuffix) {
        return normalise(namespaces.execOrFail(namespace, "iptables" + variantSuffix + "-save", "-t", "nat"))
                + normalise(namespaces.execOrFail(namespace, "ip6tables" + variantSuffix + "-save", "-t", "nat"));
    }

    private static String normalise(String save) {
        StringBuilder text = new StringBuilder();
        save.lines().filter(line -> !line.startsWith("#"))
                .map(line -> line.replaceAll("\\[\\d+:\\d+]", "[0:0]"))
                .forEach(line -> text.append(line).append('\n'));
        return text.toString();
    }
}
