package org.ambassadord.spi;

/**
 * Turns a backend spec from the command line (or from a connecting container's
 * {@code BACKEND_<port>} variable) into a {@link Backend}.
 *
 * <p>Providers are found with {@link java.util.ServiceLoader}, in the boot layer and in every
 * plugin layer. The core selects a provider by the URL scheme of the spec
 * ({@code etcd://host:2379/path} selects the provider whose {@link #scheme()} is
 * {@code etcd}); a spec without a scheme goes to the one provider that
 * {@linkplain #claimsSchemelessSpec(String) claims} it.
 *
 * <p>Implementations need a public no-argument constructor that does no I/O: the core
 * instantiates every provider at start-up, including those that will never be used.
 * Instances are shared by all threads and must be thread-safe.
 */
public interface BackendProvider {

    /**
     * The URL scheme this provider serves: lowercase, without {@code ://}, unique among all
     * installed providers (two providers of one scheme stop start-up).
     */
    String scheme();

    /**
     * Whether a spec without a {@code scheme://} prefix is meant for this provider, for
     * example {@code redis.example.com:6379} (static) or {@code redis.service.consul} (DNS
     * SRV). Exactly one installed provider may claim a given spec. Called on the start-up
     * thread; must not block.
     *
     * @param spec the spec as the user wrote it, never {@code null}
     */
    default boolean claimsSchemelessSpec(String spec) {
        return false;
    }

    /**
     * A one-line description for {@code --list-providers}, such as the spec syntax.
     */
    default String description() {
        return scheme() + "://...";
    }

    /**
     * Opens a backend for a spec. Validates the spec completely and fails here rather than on
     * the first connection. May block (for example to start a watch) but should not wait for
     * a remote server to answer: a backend whose store is down at start should start anyway
     * and serve once the store answers, unless the spec itself is wrong.
     *
     * <p>Called on the start-up thread, or on a background thread when a nested spec is
     * opened through {@link ProviderContext#open(String)}; never on an event loop thread.
     *
     * @param spec    the spec as the user wrote it (with or without its scheme)
     * @param context services of the host process; valid until the backend is closed
     * @return a backend that the caller closes
     * @throws BackendSpecException when the spec is malformed; its message is shown to the
     *                              user as is, so it names the offending part
     */
    Backend open(String spec, ProviderContext context) throws BackendSpecException;
}
