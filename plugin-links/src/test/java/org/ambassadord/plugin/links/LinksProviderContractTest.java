package org.ambassadord.plugin.links;

import static org.ambassadord.plugin.links.DockerEnvironments.link;
import static org.ambassadord.plugin.links.DockerEnvironments.merge;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.ambassadord.spi.BackendProvider;
import org.ambassadord.spi.testkit.BackendProviderContract;

/**
 * The SPI contract for the {@code links} provider, seen through an environment with the
 * seed's two links ({@code --link redis:redis --link http:http}).
 */
class LinksProviderContractTest extends BackendProviderContract {

    private static final Map<String, String> SEED_LINKS = merge(link("redis", "172.17.0.2", 6379), link("http", "172.17.0.3", 80));

    @Override
    protected BackendProvider provider() {
        return new LinksProvider();
    }

    @Override
    protected Map<String, String> environment() {
        return SEED_LINKS;
    }

    @Override
    protected String validSpec() {
        return "links://";
    }

    @Override
    protected List<BadSpec> badSpecs() {
        return List.of(
                new BadSpec("links://redis", "links mode takes no arguments, got [links://redis]"),
                new BadSpec("links://?port=6379", "got [links://?port=6379]"),
                new BadSpec("links:redis", "got [links:redis]"));
    }

    @Override
    protected Set<Integer> expectedListenPorts() {
        return Set.of(6379, 80);
    }
}
