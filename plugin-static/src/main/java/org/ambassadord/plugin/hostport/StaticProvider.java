package org.ambassadord.plugin.hostport;

import java.util.List;

import org.ambassadord.spi.Backend;
import org.ambassadord.spi.BackendProvider;
import org.ambassadord.spi.BackendSpecException;
import org.ambassadord.spi.ProviderContext;

/** Scheme {@code static}; also claims every scheme-less spec with a port or a list. */
public final class StaticProvider implements BackendProvider {

    @Override
    public String scheme() {
        return "static";
    }

    @Override
    public boolean claimsSchemelessSpec(String spec) {
        return StaticSpecParser.looksStatic(spec);
    }

    @Override
    public String description() {
        return "host:port[,host:port...] | [v6addr]:port  (listens on the first port)";
    }

    @Override
    public Backend open(String spec, ProviderContext context) throws BackendSpecException {
        List<HostPort> endpoints = StaticSpecParser.parse(spec);
        return StaticBackend.start(endpoints, context.scheduler());
    }
}
