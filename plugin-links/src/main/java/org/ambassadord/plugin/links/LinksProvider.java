package org.ambassadord.plugin.links;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.ambassadord.spi.Backend;
import org.ambassadord.spi.BackendProvider;
import org.ambassadord.spi.BackendSpecException;
import org.ambassadord.spi.ProviderContext;
import org.tinylog.Logger;

/**
 * The {@code links} backend provider, the seed's {@code --links} mode: the core turns the
 * flag into the spec {@code links://}; the links themselves come from the Docker link
 * variables of {@link ProviderContext#environment()}.
 *
 * <p>Stateless and thread-safe; the constructor does nothing, as the SPI requires.
 */
public final class LinksProvider implements BackendProvider {

    static final String SCHEME = "links";
    /** The spellings of the spec: all say "the links of the environment", none takes arguments. */
    private static final Set<String> SPECS = Set.of(SCHEME + "://", SCHEME + ":", SCHEME);

    /** Creates the provider; called by {@link java.util.ServiceLoader}. */
    public LinksProvider() {
    }

    @Override
    public String scheme() {
        return SCHEME;
    }

    /** Claims the bare words {@code links} and {@code links:}. */
    @Override
    public boolean claimsSchemelessSpec(String spec) {
        return spec.equals(SCHEME) || spec.equals(SCHEME + ":");
    }

    @Override
    public String description() {
        return "links:// (--links): forward each Docker link port <ALIAS>_PORT_<port>_TCP to its link";
    }

    /**
     * Reads the link variables and opens one target per link port. Called on the start-up
     * thread; resolves nothing but IP literals.
     *
     * @throws BackendSpecException when the spec has arguments, no link variable is set, a
     *                              link variable is malformed, or two links share a port
     */
    @Override
    public Backend open(String spec, ProviderContext context) throws BackendSpecException {
        if (!SPECS.contains(spec.strip().toLowerCase(Locale.ROOT))) {
            throw new BackendSpecException("links mode takes no arguments, got [" + spec
                    + "]; the links come from the environment: use --links (spec links://)");
        }
        List<DockerLink> links = LinkVariables.parse(context.environment());
        if (!links.isEmpty()) {
            return new LinksBackend(openTargets(links, context));
        }
        // No variables (a user-defined network, or Engine 29): ask the Docker API, if it is there.
        ApiLinks api = ApiLinks.connect(context.environment()).orElseThrow(LinkVariables::noLinks);
        try {
            Map<String, List<DockerLink>> byContainerId = api.links();
            Map<Integer, LinkTarget> byPort = openTargets(byContainerId.values().stream().flatMap(List::stream).toList(),
                    context);
            Map<String, List<LinkTarget>> targetsByContainer = new LinkedHashMap<>();
            byContainerId.forEach((id, containerLinks) -> targetsByContainer.put(id, containerLinks.stream()
                    .map(link -> byPort.get(link.port())).filter(java.util.Objects::nonNull).toList()));
            return new LinksBackend(byPort, LinkEvents.follow(api, targetsByContainer, context.scheduler()));
        } catch (BackendSpecException | RuntimeException e) {
            api.close();
            throw e;
        }
    }

    private static Map<Integer, LinkTarget> openTargets(List<DockerLink> links, ProviderContext context)
            throws BackendSpecException {
        Map<Integer, LinkTarget> byPort = new LinkedHashMap<>();
        try {
            for (DockerLink link : LinkVariables.byPort(links).values()) {
                byPort.put(link.port(), LinkTarget.open(link, context.scheduler()));
                Logger.info("link [{}]: port {} -> {} ({})", link.alias(), link.port(), link.target(), link.variable());
            }
        } catch (BackendSpecException e) {
            byPort.values().forEach(LinkTarget::close);
            throw e;
        }
        return byPort;
    }
}
