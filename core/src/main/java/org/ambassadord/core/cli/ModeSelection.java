package org.ambassadord.core.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.ambassadord.core.dispatch.BackendDispatcher;

/**
 * Turns the mode flags and the positional spec into the one spec the dispatcher opens:
 * {@code --links} is the spec {@code links://}, {@code --omnimode} is {@code omni://}. When
 * the module serving a flag is not installed, says which one is missing.
 */
final class ModeSelection {

    private final BackendDispatcher dispatcher;
    private final Map<String, String> environment;

    ModeSelection(BackendDispatcher dispatcher, Map<String, String> environment) {
        this.dispatcher = dispatcher;
        this.environment = environment;
    }

    String specFor(Options options) throws UsageException {
        List<String> chosen = new ArrayList<>();
        if (options.links) {
            chosen.add(flagSpec("--links", "links", "plugin-links"));
        }
        if (options.omniMode) {
            chosen.add(flagSpec("--omnimode", "omni", "plugin-omni"));
        }
        if (options.backend.size() > 1) {
            throw new UsageException("one backend spec expected, got " + options.backend
                    + "; join several endpoints with commas: host1:port,host2:port");
        }
        chosen.addAll(options.backend);
        if (chosen.isEmpty()) {
            String fromEnvironment = environment.get(EnvironmentDefaults.BACKEND_VARIABLE);
            if (fromEnvironment != null && !fromEnvironment.isBlank()) {
                return fromEnvironment.strip();
            }
            throw new UsageException("no backend given: pass host:port, a DNS SRV name, scheme://..., --links or --omnimode");
        }
        if (chosen.size() > 1) {
            throw new UsageException("choose one of " + describe(options) + ", not several");
        }
        return chosen.get(0);
    }

    private String flagSpec(String flag, String scheme, String module) throws UsageException {
        if (!dispatcher.hasScheme(scheme)) {
            throw new UsageException(flag + " needs the " + module + " module (scheme [" + scheme
                    + "]), which is not installed; see --list-providers");
        }
        return scheme + "://";
    }

    private static List<String> describe(Options options) {
        List<String> modes = new ArrayList<>();
        if (options.links) {
            modes.add("--links");
        }
        if (options.omniMode) {
            modes.add("--omnimode");
        }
        options.backend.forEach(spec -> modes.add("[" + spec + "]"));
        return modes;
    }
}
