package org.ambassadord.plugin.srv;

import org.ambassadord.spi.Backend;
import org.ambassadord.spi.BackendProvider;
import org.ambassadord.spi.BackendSpecException;
import org.ambassadord.spi.ProviderContext;

/**
 * The {@code srv} backend provider: {@code srv://name[?dns=host:port]}, or a bare DNS name
 * without a port such as {@code redis.service.consul} (the seed's form).
 *
 * <p>Stateless and thread-safe; the constructor does nothing, as the SPI requires.
 */
public final class SrvProvider implements BackendProvider {

    /** Creates the provider; called by {@link java.util.ServiceLoader}. */
    public SrvProvider() {
    }

    @Override
    public String scheme() {
        return SrvSpecParser.SCHEME;
    }

    /**
     * Claims a DNS name of two or more labels without a port or scheme
     * ({@code redis.service.consul}); leaves {@code host:port}, {@code [v6]:port}, IPv4
     * addresses and single words to other providers.
     */
    @Override
    public boolean claimsSchemelessSpec(String spec) {
        return SrvSpecParser.isSchemelessSrvName(spec);
    }

    @Override
    public String description() {
        return "srv://name[?dns=host:port] or a bare name such as redis.service.consul: DNS SRV look-up, RFC 2782 order";
    }

    /**
     * Parses the spec and starts looking the name up in the background; does not wait for
     * the DNS server. Called on the start-up thread.
     *
     * @throws BackendSpecException for an empty or invalid name, a port on the name, an
     *                              unknown option or a bad {@code dns} server
     */
    @Override
    public Backend open(String spec, ProviderContext context) throws BackendSpecException {
        return new SrvBackend(SrvSpecParser.parse(spec), context);
    }
}
