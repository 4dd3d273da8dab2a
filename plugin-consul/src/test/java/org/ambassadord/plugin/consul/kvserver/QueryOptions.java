package org.ambassadord.plugin.consul.kvserver;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The query parameters of one request, read the way Consul's HTTP layer reads them
 * ({@code agent/http.go}: flags like {@code ?recurse} count by presence; {@code index} is an
 * unsigned integer; {@code wait} is a Go duration).
 */
final class QueryOptions {

    /** Consul's {@code defaultQueryTime}. */
    static final Duration DEFAULT_WAIT = Duration.ofMinutes(5);
    /** Consul's {@code maxQueryTime}. */
    static final Duration MAX_WAIT = Duration.ofMinutes(10);
    /** Consul's {@code structs.JitterFraction}: up to wait/16 is added to a wait. */
    static final int JITTER_FRACTION = 16;

    private static final Pattern GO_DURATION_PART = Pattern.compile("([0-9]+(?:\\.[0-9]*)?)(ns|us|µs|ms|s|m|h)");
    private static final Map<String, Long> UNIT_NANOS = Map.of(
            "ns", 1L, "us", 1_000L, "µs", 1_000L, "ms", 1_000_000L,
            "s", 1_000_000_000L, "m", 60_000_000_000L, "h", 3_600_000_000_000L);

    /** A request Consul would answer with 400 and this message. */
    static final class BadRequest extends Exception {
        private static final long serialVersionUID = 1L;

        BadRequest(String message) {
            super(message);
        }
    }

    private final Map<String, String> values;

    private QueryOptions(Map<String, String> values) {
        this.values = values;
    }

    /** Parses a raw query string ({@code null} for none). */
    static QueryOptions parse(String rawQuery) {
        Map<String, String> values = new HashMap<>();
        if (rawQuery != null) {
            for (String part : rawQuery.split("&")) {
                if (part.isEmpty()) {
                    continue;
                }
                int equals = part.indexOf('=');
                String name = URLDecoder.decode(equals < 0 ? part : part.substring(0, equals), StandardCharsets.UTF_8);
                String value = equals < 0 ? "" : URLDecoder.decode(part.substring(equals + 1), StandardCharsets.UTF_8);
                values.putIfAbsent(name, value);
            }
        }
        return new QueryOptions(values);
    }

    Map<String, String> asMap() {
        return Map.copyOf(values);
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    String get(String name) {
        return values.get(name);
    }

    /** {@code ?index=}, 0 when absent. */
    long index() throws BadRequest {
        return unsigned("index", "Invalid index", 0L);
    }

    /** An unsigned number, or {@code fallback} when absent. */
    Long unsigned(String name, String error, Long fallback) throws BadRequest {
        String text = values.get(name);
        if (text == null) {
            return fallback;
        }
        try {
            return Long.parseUnsignedLong(text);
        } catch (NumberFormatException e) {
            throw new BadRequest(error);
        }
    }

    /** {@code ?wait=} as Consul applies it, before jitter. */
    Duration waitTime() throws BadRequest {
        String text = values.get("wait");
        return effectiveWait(text == null ? Duration.ZERO : parseGoDuration(text));
    }

    /** No wait means the default; more than the maximum means the maximum. */
    static Duration effectiveWait(Duration requested) {
        if (requested.isZero() || requested.isNegative()) {
            return DEFAULT_WAIT;
        }
        return requested.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : requested;
    }

    /** The wait plus a random stagger below wait/16, as Consul adds. */
    static Duration withJitter(Duration wait) {
        long bound = wait.toNanos() / JITTER_FRACTION;
        return bound <= 0 ? wait : wait.plusNanos(ThreadLocalRandom.current().nextLong(bound));
    }

    /** Go's {@code time.ParseDuration} for non-negative values: {@code 10s}, {@code 1m30s}, {@code 1.5s}. */
    static Duration parseGoDuration(String text) throws BadRequest {
        if (text.equals("0")) {
            return Duration.ZERO;
        }
        Matcher matcher = GO_DURATION_PART.matcher(text);
        long nanos = 0;
        int position = 0;
        while (position < text.length() && matcher.find(position) && matcher.start() == position) {
            double amount = Double.parseDouble(matcher.group(1));
            nanos += (long) (amount * UNIT_NANOS.get(matcher.group(2)));
            position = matcher.end();
        }
        if (position == 0 || position != text.length()) {
            throw new BadRequest("Invalid wait time");
        }
        return Duration.ofNanos(nanos);
    }
}
