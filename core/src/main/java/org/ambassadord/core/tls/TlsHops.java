package org.ambassadord.core.tls;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * TLS on either hop of a relayed connection: terminated on the listener ({@link ServerTls}),
 * originated to the backends ({@link UpstreamTls}), both, or neither.
 */
public record TlsHops(Optional<ServerTls> listener, Optional<UpstreamTls> upstream) implements AutoCloseable {

    public static final TlsHops NONE = new TlsHops(Optional.empty(), Optional.empty());

    public boolean any() {
        return listener.isPresent() || upstream.isPresent();
    }

    /** Every file either hop reloads when it changes. */
    public List<ReloadableTlsFiles> reloadable() {
        List<ReloadableTlsFiles> all = new ArrayList<>();
        listener.ifPresent(tls -> all.addAll(tls.reloadable()));
        upstream.ifPresent(tls -> all.addAll(tls.reloadable()));
        return all;
    }

    @Override
    public void close() {
        listener.ifPresent(ServerTls::close);
        upstream.ifPresent(UpstreamTls::close);
    }
}
