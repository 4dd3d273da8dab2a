package org.ambassadord.core.plugin;

import java.util.List;
import java.util.Set;

import org.ambassadord.spi.BackendProvider;

/**
 * Providers known by scheme but not loaded yet: plugin layers are defined only when a spec
 * needs them (see {@link PluginLoader}). Thread-safe: omni mode asks
 * from its background opener while the relay runs.
 */
public interface DeferredProviders {

    /** Nothing deferred: every provider was given up front. */
    DeferredProviders NONE = new DeferredProviders() {
        @Override
        public Set<String> schemes() {
            return Set.of();
        }

        @Override
        public List<Discovered<BackendProvider>> defineFor(String scheme) {
            return List.of();
        }

        @Override
        public List<Discovered<BackendProvider>> defineSchemeless() {
            return List.of();
        }
    };

    /** The schemes of layers not defined yet. */
    Set<String> schemes();

    /** Defines the layer that serves {@code scheme}, if one does and it is not defined yet; its providers. */
    List<Discovered<BackendProvider>> defineFor(String scheme);

    /** Defines every deferred layer that may claim a spec without {@code scheme://}; their providers. */
    List<Discovered<BackendProvider>> defineSchemeless();
}
