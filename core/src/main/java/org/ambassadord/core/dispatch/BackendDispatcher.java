package org.ambassadord.core.dispatch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ScheduledExecutorService;

import org.ambassadord.core.logging.LogText;
import org.ambassadord.core.plugin.DeferredProviders;
import org.ambassadord.core.plugin.Discovered;
import org.ambassadord.core.policy.ContainerContexts;
import org.ambassadord.core.policy.ContainerSpecPolicy;
import org.ambassadord.core.policy.SpecOpener;
import org.ambassadord.spi.Backend;
import org.ambassadord.spi.BackendProvider;
import org.ambassadord.spi.BackendSpecException;
import org.ambassadord.spi.ProviderContext;

/**
 * Opens backend specs with the provider of their scheme: {@code etcd://…} goes to the
 * provider of scheme {@code etcd}; a spec without a scheme goes to the one provider that
 * claims it. It is also the {@link ProviderContext} of every backend, so nested specs (omni
 * mode's {@code BACKEND_6379=srv://…}) go through the same rules. As a context it is the
 * operator's: full powers, and {@link #forContainer} hands out the restricted contexts of
 * the {@link ContainerSpecPolicy} given at creation (without one, containers open nothing).
 */
public final class BackendDispatcher implements ProviderContext, SpecOpener {


    /** Loaded providers; grows when a deferred layer is defined. Guarded by this. */
    private final Map<String, Discovered<BackendProvider>> byScheme;
    private final DeferredProviders deferred;
    private final ScheduledExecutorService scheduler;
    private final Map<String, String> environment;
    private final ContainerContexts containers;

    private BackendDispatcher(Map<String, Discovered<BackendProvider>> byScheme, DeferredProviders deferred,
                              ScheduledExecutorService scheduler, Map<String, String> environment,
                              Optional<ContainerSpecPolicy> containerPolicy) {
        this.byScheme = byScheme;
        this.deferred = deferred;
        this.scheduler = scheduler;
        this.environment = Map.copyOf(environment);
        this.containers = containerPolicy.map(policy -> new ContainerContexts(this, policy, this)).orElse(null);
    }

    /**
     * A dispatcher without a container policy.
     *
     * @throws DuplicateSchemeException when two providers claim one scheme
     */
    public static BackendDispatcher create(List<Discovered<BackendProvider>> providers,
                                           ScheduledExecutorService scheduler,
                                           Map<String, String> environment) throws DuplicateSchemeException {
        return create(providers, scheduler, environment, Optional.empty());
    }

    /**
     * @throws DuplicateSchemeException when two providers claim one scheme
     */
    public static BackendDispatcher create(List<Discovered<BackendProvider>> providers,
                                           ScheduledExecutorService scheduler,
                                           Map<String, String> environment,
                                           Optional<ContainerSpecPolicy> containerPolicy) throws DuplicateSchemeException {
        return create(providers, DeferredProviders.NONE, scheduler, environment, containerPolicy);
    }

    /**
     * A dispatcher over loaded providers and deferred ones, whose layers it defines when a
     * spec first needs them.
     *
     * @throws DuplicateSchemeException when two providers (loaded or deferred) claim one scheme
     */
    public static BackendDispatcher create(List<Discovered<BackendProvider>> providers, DeferredProviders deferred,
                                           ScheduledExecutorService scheduler,
                                           Map<String, String> environment,
                                           Optional<ContainerSpecPolicy> containerPolicy) throws DuplicateSchemeException {
        Map<String, Discovered<BackendProvider>> byScheme = new LinkedHashMap<>();
        for (Discovered<BackendProvider> provider : providers) {
            String scheme = provider.service().scheme();
            Discovered<BackendProvider> earlier = byScheme.putIfAbsent(scheme, provider);
            if (earlier != null) {
                throw duplicate(scheme, earlier, provider);
            }
            if (deferred.schemes().contains(scheme)) {
                throw new DuplicateSchemeException("scheme [" + scheme + "] is provided twice: by module ["
                        + provider.module() + "] (" + provider.origin() + ") and by a plugin folder whose descriptor"
                        + " names it; remove one of them");
            }
        }
        return new BackendDispatcher(byScheme, deferred, scheduler, environment, containerPolicy);
    }

    private static DuplicateSchemeException duplicate(String scheme, Discovered<BackendProvider> earlier,
                                                      Discovered<BackendProvider> later) {
        return new DuplicateSchemeException("scheme [" + scheme + "] is provided twice: by module ["
                + earlier.module() + "] (" + earlier.origin() + ") and by module [" + later.module()
                + "] (" + later.origin() + "); remove one of them");
    }

    /** Adds providers of a layer defined just now; a scheme already served keeps its first provider. */
    private void addDefined(List<Discovered<BackendProvider>> defined) {
        for (Discovered<BackendProvider> provider : defined) {
            Discovered<BackendProvider> earlier = byScheme.putIfAbsent(provider.service().scheme(), provider);
            if (earlier != null && earlier != provider) {
                org.tinylog.Logger.error(duplicate(provider.service().scheme(), earlier, provider).getMessage());
            }
        }
    }

    private synchronized Discovered<BackendProvider> loaded(String scheme) {
        Discovered<BackendProvider> provider = byScheme.get(scheme);
        if (provider == null && deferred.schemes().contains(scheme)) {
            addDefined(deferred.defineFor(scheme));
            provider = byScheme.get(scheme);
        }
        return provider;
    }

    private static List<Discovered<BackendProvider>> claimantsOf(String spec, List<Discovered<BackendProvider>> providers) {
        List<Discovered<BackendProvider>> claimants = new ArrayList<>();
        for (Discovered<BackendProvider> provider : providers) {
            if (provider.service().claimsSchemelessSpec(spec)) {
                claimants.add(provider);
            }
        }
        return claimants;
    }

    private synchronized List<Discovered<BackendProvider>> loadedProviders() {
        return List.copyOf(byScheme.values());
    }

    private synchronized List<Discovered<BackendProvider>> schemelessCandidates() {
        addDefined(deferred.defineSchemeless());
        return List.copyOf(byScheme.values());
    }

    private synchronized java.util.Set<String> knownSchemes() {
        java.util.Set<String> known = new TreeSet<>(byScheme.keySet());
        known.addAll(deferred.schemes());
        return known;
    }

    /**
     * The scheme of a spec, lowercased, if it has one: RFC 3986's {@code ALPHA *( ALPHA / DIGIT /
     * "+" / "-" / "." )} followed by {@code ://}. One pass over the scheme's characters.
     */
    public static Optional<String> schemeOf(String spec) {
        if (spec.isEmpty() || !isAsciiLetter(spec.charAt(0))) {
            return Optional.empty();
        }
        int end = 1;
        while (end < spec.length() && isSchemeCharacter(spec.charAt(end))) {
            end++;
        }
        return spec.startsWith("://", end) ? Optional.of(spec.substring(0, end).toLowerCase(java.util.Locale.ROOT))
                : Optional.empty();
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isSchemeCharacter(char c) {
        return isAsciiLetter(c) || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
    }

    /** Whether a provider (loaded, or in a plugin folder not defined yet) serves the scheme. */
    public boolean hasScheme(String scheme) {
        return knownSchemes().contains(scheme);
    }

    /** Opens a spec with the operator's powers. */
    @Override
    public Backend open(String spec) throws BackendSpecException {
        return open(spec, this);
    }

    /**
     * Opens the spec with its provider. A provider may refuse only with a spec error: anything
     * else it throws (a bug in a third-party plugin, a library that chokes on a value) becomes
     * one, naming the plugin, so that it is one line and exit 2 on the command line and a
     * counted refusal in omni mode, never a stack trace or a dead opener.
     */
    @Override
    public Backend open(String spec, ProviderContext context) throws BackendSpecException {
        Discovered<BackendProvider> provider = providerFor(nonEmpty(spec));
        try {
            return provider.service().open(spec.strip(), context);
        } catch (BackendSpecException refused) {
            throw refused;
        } catch (RuntimeException | LinkageError | StackOverflowError failed) {
            throw new BackendSpecException("plugin [" + provider.module() + "] (" + provider.origin() + ") failed to open ["
                    + LogText.escape(spec.strip()) + "]: " + LogText.escape(failed.toString()));
        }
    }

    @Override
    public String schemeServing(String spec) throws BackendSpecException {
        return providerFor(nonEmpty(spec)).service().scheme();
    }

    @Override
    public ProviderContext forContainer(String containerId, String containerName) {
        return containers == null ? ProviderContext.super.forContainer(containerId, containerName)
                : containers.forContainer(containerId, containerName);
    }

    /** The contexts of container-chosen specs, when a policy was given. */
    public Optional<ContainerContexts> containers() {
        return Optional.ofNullable(containers);
    }

    private static String nonEmpty(String spec) throws BackendSpecException {
        String trimmed = spec.strip();
        if (trimmed.isEmpty()) {
            throw new BackendSpecException("the backend spec is empty");
        }
        return trimmed;
    }

    private Discovered<BackendProvider> providerFor(String spec) throws BackendSpecException {
        Optional<String> scheme = schemeOf(spec);
        if (scheme.isPresent()) {
            Discovered<BackendProvider> provider = loaded(scheme.get());
            if (provider == null) {
                throw new BackendSpecException("no provider for scheme [" + scheme.get() + "] of [" + LogText.escape(spec)
                        + "]; known " + knownSchemes());
            }
            return provider;
        }
        // The loaded providers are asked first (static claims host:port); the deferred layers
        // that may claim schemeless specs are defined only when none of them does.
        List<Discovered<BackendProvider>> claimants = claimantsOf(spec, loadedProviders());
        if (claimants.isEmpty()) {
            claimants = claimantsOf(spec, schemelessCandidates());
        }
        if (claimants.isEmpty()) {
            throw new BackendSpecException("no provider understands [" + LogText.escape(spec)
                    + "]; write host:port, a DNS SRV name, or scheme://... with a scheme of " + knownSchemes());
        }
        if (claimants.size() > 1) {
            throw new BackendSpecException("[" + LogText.escape(spec) + "] is claimed by several providers "
                    + claimants.stream().map(provider -> provider.service().scheme()).toList()
                    + "; write it with one of their schemes");
        }
        return claimants.get(0);
    }

    /**
     * The operator's own specs may connect anywhere for their own traffic: no rule to check,
     * so no name is resolved for it (the default would resolve the agent's name before every
     * read only to allow it).
     */
    @Override
    public Optional<String> controlDenial(String host, int port) {
        return Optional.empty();
    }

    @Override
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    @Override
    public Map<String, String> environment() {
        return environment;
    }

    /** Two installed providers serve one scheme. */
    public static final class DuplicateSchemeException extends Exception {
        private static final long serialVersionUID = 1L;

        DuplicateSchemeException(String message) {
            super(message);
        }
    }
}
