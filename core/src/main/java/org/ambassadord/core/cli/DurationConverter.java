package org.ambassadord.core.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.beust.jcommander.IStringConverter;
import com.beust.jcommander.ParameterException;

/**
 * {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}; a bare number is seconds. At most 30
 * days: longer is a typo, and the relay's deadline arithmetic in nanoseconds must not
 * overflow. Zero only where it means "none" ({@link #ZERO_MEANS_NONE}) or "at once"
 * ({@code --drain-timeout}).
 */
public final class DurationConverter implements IStringConverter<Duration> {

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)?");
    static final Duration LONGEST = Duration.ofDays(30);
    /** Options for which 0 is meaningful. */
    static final java.util.Set<String> ZERO_ALLOWED = java.util.Set.of("--drain-timeout", "--idle-timeout",
            "--half-close-timeout", "--tcp-keepalive", "--health-check");

    private final String optionName;

    public DurationConverter(String optionName) {
        this.optionName = optionName;
    }

    @Override
    public Duration convert(String value) {
        Matcher matcher = DURATION.matcher(value.strip());
        if (!matcher.matches()) {
            throw new ParameterException(optionName + " [" + value + "] is not a duration such as 500ms, 5s or 1m");
        }
        long amount = Long.parseLong(matcher.group(1));
        String unit = matcher.group(2) == null ? "s" : matcher.group(2);
        Duration duration = switch (unit) {
            case "ms" -> Duration.ofMillis(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofSeconds(amount);
        };
        if (duration.isZero() && !ZERO_ALLOWED.contains(optionName)) {
            throw new ParameterException(optionName + " [" + value + "] must be more than 0");
        }
        if (duration.compareTo(LONGEST) > 0) {
            throw new ParameterException(optionName + " [" + value + "] is longer than the longest allowed, 30 days");
        }
        return duration;
    }
}
