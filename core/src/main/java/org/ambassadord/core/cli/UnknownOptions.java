package org.ambassadord.core.cli;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

import com.beust.jcommander.JCommander;
import com.beust.jcommander.ParameterDescription;

/**
 * JCommander takes a word it does not know ({@code --bogus}) for the backend spec, so the user
 * heard "no provider understands [--bogus]". A positional word that starts with {@code -} is
 * an option that does not exist: this says so, and names the closest known option (edit
 * distance, as git and curl suggest), when one is close.
 */
final class UnknownOptions {

    /** Suggest only options this close: a typo or two, not an unrelated word. */
    private static final int MAX_DISTANCE = 3;

    private UnknownOptions() {
    }

    /** The one-line error for the first positional word that looks like an option, if any. */
    static Optional<String> check(List<String> positional, JCommander commander) {
        for (String word : positional) {
            if (word.startsWith("-") && word.length() > 1) {
                String option = word.contains("=") ? word.substring(0, word.indexOf('=')) : word;
                return Optional.of("unknown option [" + option + "]" + suggestion(option, commander.getParameters())
                        .map(known -> "; did you mean [" + known + "]?").orElse("") + " (see --help)");
            }
        }
        return Optional.empty();
    }

    private static Optional<String> suggestion(String unknown, Collection<ParameterDescription> parameters) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (ParameterDescription parameter : parameters) {
            for (String name : parameter.getParameter().names()) {
                int distance = distance(unknown, name);
                if (distance < bestDistance) {
                    bestDistance = distance;
                    best = name;
                }
            }
        }
        return bestDistance <= Math.min(MAX_DISTANCE, Math.max(1, unknown.length() / 3)) ? Optional.of(best) : Optional.empty();
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
