package org.ambassadord.plugin.links;

import static org.ambassadord.plugin.links.DockerEnvironments.link;
import static org.ambassadord.plugin.links.DockerEnvironments.merge;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.ambassadord.spi.Backend;
import org.ambassadord.spi.BackendProvider;
import org.ambassadord.spi.BackendSpecException;
import org.ambassadord.spi.ProviderContext;
import org.ambassadord.spi.testkit.BackendProviderContract;

/**
 * The SPI contract for the {@code links} provider, seen through an environment with the
 * seed's two links ({@code --link redis:redis --link http:http}).
 */
class LinksProviderContractTest extends BackendProviderContract {

    private static final Map<String, String> SEED_LINKS = merge(link("redis", "172.17.0.2", 6379), link("http", "172.17.0.3", 80));

    /**
     * The real provider; only the environment of the contract's context is replaced, since
     * the contract's context has none.
     */
    @Override
    protected BackendProvider provider() {
        LinksProvider real = new LinksProvider();
        return new BackendProvider() {
            @Override
            public String scheme() {
                return real.scheme();
            }

            @Override
            public Backend open(String spec, ProviderContext context) throws BackendSpecException {
                return real.open(spec, new EnvironmentContext(SEED_LINKS, context.scheduler()));
            }
        };
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
