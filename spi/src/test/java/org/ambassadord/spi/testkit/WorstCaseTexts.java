package org.ambassadord.spi.testkit;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;

/**
 * A mebibyte of the text that makes a backtracking parser slow (long runs of the characters
 * its grammar repeats, an unterminated bracket, a run of blanks before a line break), for the
 * tests that every parser of outside input finishes in linear time (issue 21). A quadratic
 * parser takes hours on these; a linear one milliseconds, so a ceiling of seconds tells them
 * apart on any machine without being a benchmark.
 */
public final class WorstCaseTexts {

    /** Characters per text. */
    public static final int SIZE = 1 << 20;
    /** Far above what a linear parse of {@link #SIZE} characters takes, even interpreted. */
    public static final Duration CEILING = Duration.ofSeconds(2);

    /** A parser under test; its refusals (any exception) are expected answers, not failures. */
    @FunctionalInterface
    public interface Parser {
        void parse(String text) throws Exception;
    }

    private WorstCaseTexts() {
    }

    /** The texts, each about {@link #SIZE} characters. */
    public static List<String> all() {
        return List.of(
                ":".repeat(SIZE),
                "[" + ":".repeat(SIZE) + "g]:80",
                "a".repeat(SIZE) + "-",
                "a" + ".-".repeat(SIZE / 2) + "!",
                "1.".repeat(SIZE / 2),
                " ".repeat(SIZE) + "x",
                "%".repeat(SIZE),
                "a,".repeat(SIZE / 2),
                "/".repeat(SIZE),
                "\n ".repeat(SIZE / 2) + "x",
                " \t".repeat(SIZE / 2) + "\n",
                "0".repeat(SIZE),
                "tcp://[" + "a".repeat(SIZE),
                "x".repeat(SIZE) + ":/",
                "x://h?" + "&a=".repeat(SIZE / 3),
                "_".repeat(SIZE) + ":80",
                "a:".repeat(SIZE / 2) + "80");
    }

    /**
     * Runs every text through the parser (with {@code prefix} before it, to get past a scheme)
     * and fails naming the parser and the text's start when one takes longer than
     * {@link #CEILING}.
     */
    public static void assertLinear(String what, String prefix, Parser parser) {
        for (String text : all()) {
            String input = prefix + text;
            assertTimeoutPreemptively(CEILING, () -> {
                try {
                    parser.parse(input);
                } catch (Exception refused) {
                    // A refusal is an answer; only the time is checked here (the fuzz targets check the rest).
                }
            }, () -> what + " took longer than " + CEILING.toSeconds() + " s on " + input.length() + " characters starting ["
                    + input.substring(0, Math.min(24, input.length())).replace("\n", "\\n") + "…]");
        }
    }
}
