package org.ambassadord.core.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;

import com.beust.jcommander.ParameterException;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Option values (also read from {@code AMBASSADORD_*} variables): durations, ports (among
 * them {@code --exclude-ports}, the iptables exclusions) and the admin address. Whatever the
 * text, each converter answers in range or refuses with a {@link ParameterException} or an
 * {@link IllegalArgumentException}, which the CLI prints as one line with exit code 2 —
 * never another exception.
 */
class OptionValuesFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void convertsOrRefuses(FuzzedDataProvider data) {
        int which = data.consumeInt(0, 2);
        String option = data.pickValue(new String[] {"--connect-timeout", "--idle-timeout", "--exclude-ports", "--port"});
        String text = data.consumeRemainingAsString();
        try {
            switch (which) {
                case 0 -> {
                    Duration duration = new DurationConverter(option).convert(text);
                    assertFalse(duration.isNegative(), text);
                    assertTrue(duration.compareTo(DurationConverter.LONGEST) <= 0, text);
                    // Deadline arithmetic in nanoseconds must not overflow.
                    duration.toNanos();
                }
                case 1 -> {
                    int port = new PortConverter(option).convert(text);
                    assertTrue(port >= 0 && port <= 65535, text);
                }
                default -> {
                    Optional<InetSocketAddress> admin = AdminAddress.parse(text);
                    admin.ifPresent(address -> assertFalse(address.isUnresolved() && address.getPort() == 0, text));
                }
            }
        } catch (ParameterException | IllegalArgumentException refused) {
            // JCommander's converters throw the first, AdminAddress (checked by the CLI) the second.
            assertNotNull(refused.getMessage());
        }
    }
}
