package org.ambassadord.core.cli;

import java.util.Locale;
import java.util.Map;

import com.beust.jcommander.IDefaultProvider;

/**
 * Option values from the environment, for containers configured with {@code -e}:
 * {@code --connect-timeout} reads {@code AMBASSADORD_CONNECT_TIMEOUT}. The backend spec
 * itself comes from {@code AMBASSADORD_BACKEND} when none is on the command line.
 */
final class EnvironmentDefaults implements IDefaultProvider {

    static final String BACKEND_VARIABLE = "AMBASSADORD_BACKEND";

    private final Map<String, String> environment;

    EnvironmentDefaults(Map<String, String> environment) {
        this.environment = environment;
    }

    static String variableFor(String optionName) {
        return "AMBASSADORD_" + optionName.replaceFirst("^-+", "").replace('-', '_').toUpperCase(Locale.ROOT);
    }

    @Override
    public String getDefaultValueFor(String optionName) {
        if (!optionName.startsWith("--")) {
            return null;
        }
        String value = environment.get(variableFor(optionName));
        return value == null || value.isBlank() ? null : value.strip();
    }
}
