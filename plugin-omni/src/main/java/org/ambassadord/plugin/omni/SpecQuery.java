package org.ambassadord.plugin.omni;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.ambassadord.spi.BackendSpecException;

/**
 * The query of an {@code omni://} or {@code docker://} spec: {@code name=value} pairs joined
 * by {@code &}, values percent-decoded, a bare {@code name} meaning an empty value. One pass,
 * no regular expression; an unknown name or a broken escape is a spec error naming the spec.
 */
public final class SpecQuery {

    private SpecQuery() {
    }

    /**
     * @param query the text after {@code ?} (without it)
     * @param known the names the scheme takes
     * @return each name given, with its decoded value, in the spec's order (a repeated name: the last)
     */
    public static Map<String, String> parse(String query, String spec, Set<String> known) throws BackendSpecException {
        Map<String, String> parameters = new LinkedHashMap<>();
        int start = 0;
        while (start <= query.length()) {
            int end = query.indexOf('&', start);
            if (end < 0) {
                end = query.length();
            }
            String parameter = query.substring(start, end);
            start = end + 1;
            if (parameter.isEmpty()) {
                continue;
            }
            int equals = parameter.indexOf('=');
            String name = equals < 0 ? parameter : parameter.substring(0, equals);
            if (!known.contains(name)) {
                throw new BackendSpecException("unknown parameter [" + name + "] in [" + spec + "]; known " + new TreeSet<>(known));
            }
            parameters.put(name, equals < 0 ? "" : decoded(parameter.substring(equals + 1), name, spec));
        }
        return parameters;
    }

    /** A broken escape ({@code %}, {@code %zz}) is a spec error, not an exception. */
    private static String decoded(String value, String name, String spec) throws BackendSpecException {
        try {
            return URLDecoder.decode(value, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new BackendSpecException("parameter " + name + " of [" + spec + "] has a broken %-escape: " + e.getMessage());
        }
    }
}
