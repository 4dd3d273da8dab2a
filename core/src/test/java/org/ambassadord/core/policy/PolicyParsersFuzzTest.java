package org.ambassadord.core.policy;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The policy parsers take operator text, and credential hosts are compared with what
 * container specs name: whatever they are fed, they answer or throw
 * {@link IllegalArgumentException} with a one-line message — never another exception, a
 * look-up or a hang. Seeded, so a failure reproduces.
 */
class PolicyParsersFuzzTest {

    private static final String ALPHABET = "0123456789abcdefABCDEF.:/[]-,% \n\t\u0000\u2028x";
    private static final List<String> SEEDS = List.of("10.0.0.0/8:6379", "[fd00::/8]:1-2", "::ffff:1.2.3.4/128",
            "255.255.255.255/32:65535", "::/0");

    private static String mutate(Random random) {
        StringBuilder text = new StringBuilder(SEEDS.get(random.nextInt(SEEDS.size())));
        int edits = 1 + random.nextInt(6);
        for (int i = 0; i < edits; i++) {
            int at = text.isEmpty() ? 0 : random.nextInt(text.length() + 1);
            char c = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
            switch (random.nextInt(3)) {
                case 0 -> text.insert(at, c);
                case 1 -> {
                    if (at < text.length()) {
                        text.deleteCharAt(at);
                    }
                }
                default -> {
                    if (at < text.length()) {
                        text.setCharAt(at, c);
                    }
                }
            }
        }
        return text.toString();
    }

    @Test
    void upstreamRulesAnswerOrRefuseWithOneLine() {
        Random random = new Random(9);
        int parsed = 0;
        for (int i = 0; i < 200_000; i++) {
            String text = mutate(random);
            try {
                UpstreamRule rule = UpstreamRule.parse(text);
                assertTrue(rule.fromPort() >= 1 && rule.toPort() <= 65535 && rule.fromPort() <= rule.toPort(), text);
                parsed++;
            } catch (IllegalArgumentException e) {
                if (e.getMessage() == null || e.getMessage().contains("\n")) {
                    fail("message of [" + text + "] is not one line: " + e.getMessage());
                }
            } catch (RuntimeException e) {
                fail("[" + text + "] threw " + e);
            }
        }
        assertTrue(parsed > 1000, "the mutations should still parse now and then: " + parsed);
    }

    @Test
    void credentialHostMatchingNeverThrows() {
        ContainerSpecPolicy policy = new ContainerSpecPolicy(ContainerSpecPolicy.DEFAULT_SCHEMES,
                UpstreamPolicy.forOperator(List.of(), List.of()), List.of("consul:8500", "[fd00::1]:8500", "10.0.0.1", "[::1]"),
                1, 1);
        Random random = new Random(11);
        for (int i = 0; i < 100_000; i++) {
            String host = mutate(random);
            try {
                policy.isCredentialHost(host, random.nextInt(70000));
            } catch (RuntimeException e) {
                fail("[" + host + "] threw " + e);
            }
        }
    }
}
