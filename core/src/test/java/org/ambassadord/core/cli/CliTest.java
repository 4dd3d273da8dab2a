package org.ambassadord.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The command line's answers to bad input: exit code 2 and one line that says what is wrong.
 * (Runs without plugins: the relay's end-to-end runs are in the distribution's tests.)
 */
class CliTest {

    private record Result(int status, String out, String err) {
    }

    private static Result run(Map<String, String> environment, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new Cli(environment, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Result run(String... args) {
        return run(Map.of(), args);
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', value = {
            "--port 70000 x:1 | --port [70000] is not a port (0-65535)",
            "--connect-timeout soon x:1 | --connect-timeout [soon] is not a duration such as 500ms, 5s or 1m",
            "--balance fastest x:1 | balance [fastest] is not one of [random, round-robin, least-conn]",
            "--max-connections-per-client -1 x:1 | --max-connections-per-client [-1] must be 0 (no cap) or more",
            "--connection-rate-per-client -5 x:1 | --connection-rate-per-client [-5] must be 0 (no limit) or more",
            "--max-connections-per-endpoint -1 x:1 | --max-connections-per-endpoint [-1] must be 0 (no cap) or more",
            "--slow-start soon x:1 | --slow-start [soon] is not a duration such as 500ms, 5s or 1m",
            "--log-level loud x:1 | --log-level [loud] is not one of [trace, debug, info, warn, error, off]",
            "--no-such-option | unknown option [--no-such-option] (see --help)",
            "--bogus x:1 | unknown option [--bogus] (see --help)",
            "--idle-timout 5s x:1 | unknown option [--idle-timout]; did you mean [--idle-timeout]?",
            "--conect-timeout=2s x:1 | unknown option [--conect-timeout]; did you mean [--connect-timeout]?",
            "--omnimod | unknown option [--omnimod]; did you mean [--omnimode]?",
            "--links | --links needs the plugin-links module (scheme [links]), which is not installed",
            "--omnimode | --omnimode needs the plugin-omni module (scheme [omni]), which is not installed",
            "--setup-iptables | --setup-iptables needs the plugin-iptables module, which is not installed",
            "'' | no backend given",
            "a:1 b:2 | one backend spec expected, got [a:1, b:2]",
            "nosuch://x | no provider for scheme [nosuch] of [nosuch://x]; known []",
            "--deny-upstream 10.0.0.0/33 x:1 | --deny-upstream: prefix length [33] is out of range 0-32 in [10.0.0.0/33]",
            "--allow-upstream db.internal x:1 | --allow-upstream: [db.internal] is not an address or CIDR block",
            "--allow-upstream 10.0.0.0/8:99999 x:1 | --allow-upstream: port [99999] of [10.0.0.0/8:99999] is out of range",
            "--omni-schemes static,omni x:1 | --omni-schemes may not list [omni]: a container would get the ambassador's",
            "--omni-schemes static,links x:1 | --omni-schemes may not list [links]",
            "--omni-schemes e_tcd x:1 | --omni-schemes: [e_tcd] is not a scheme name",
            "--omni-max-specs 0 x:1 | --omni-max-specs [0] and --omni-max-specs-per-container [16] must be at least 1",
            "--connect-timeout 0 x:1 | --connect-timeout [0] must be more than 0",
            "--resolve-timeout 0ms x:1 | --resolve-timeout [0ms] must be more than 0",
            "--resolve-timeout 3000000h x:1 | --resolve-timeout [3000000h] is longer than the longest allowed, 30 days",
            "--idle-timeout 999999999m x:1 | --idle-timeout [999999999m] is longer than the longest allowed, 30 days",
            "--max-attempts 0 x:1 | --max-attempts [0] must be at least 1",
            "--max-connections -1 x:1 | --max-connections [-1] must be 0 (no cap) or more",
            "--eject-after -2 x:1 | --eject-after [-2] must be 0 (never) or more",
            "--tcp-keepalive 500ms x:1 | --tcp-keepalive [500ms] must be 0 or at least 1s",
            "--proxy-protocol v3 x:1 | --proxy-protocol [v3] is not off, v1 or v2",
    })
    void badInputExitsWithTwoAndOneLine(String args, String expected) {
        Result result = run(args.isBlank() ? new String[0] : args.split(" "));
        assertEquals(Cli.USAGE, result.status(), result.err());
        assertEquals(1, result.err().lines().count(), "one line: " + result.err());
        assertTrue(result.err().startsWith("ambassadord: "), result.err());
        assertTrue(result.err().contains(expected), result.err());
        assertTrue(result.out().isEmpty());
    }

    @Test
    void optionsComeFromTheEnvironmentToo() {
        Result result = run(Map.of("AMBASSADORD_CONNECT_TIMEOUT", "later"), "x:1");
        assertEquals(Cli.USAGE, result.status());
        assertTrue(result.err().contains("--connect-timeout [later]"), result.err());
    }

    @Test
    void helpListsEveryOptionAndTheEnvironmentRule() {
        Result result = run("--help");
        assertEquals(Cli.OK, result.status());
        for (String option : new String[] {"--links", "--omnimode", "--setup-iptables", "--port", "--bind", "--plugins",
                "--connect-timeout", "--balance", "--log-level", "--list-providers", "--version", "--drain-timeout",
                "--omni-schemes", "--allow-upstream", "--deny-upstream", "--credential-hosts", "--omni-max-specs",
                "--omni-max-specs-per-container", "--admin", "--access-log", "--access-log-format", "--idle-timeout",
                "--half-close-timeout", "--tcp-keepalive", "--max-connections", "--max-attempts", "--eject-after", "--health-check", "--proxy-protocol"}) {
            assertTrue(result.out().contains(option), option);
        }
        assertTrue(result.out().contains("AMBASSADORD_CONNECT_TIMEOUT"));
    }

    @Test
    void policyOptionsComeFromTheEnvironmentToo() {
        Result result = run(Map.of("AMBASSADORD_DENY_UPSTREAM", "10.0.0.0/99"), "x:1");
        assertEquals(Cli.USAGE, result.status());
        assertTrue(result.err().contains("--deny-upstream: prefix length [99]"), result.err());
    }

    @Test
    void versionPrintsOneLine() {
        Result result = run("--version");
        assertEquals(Cli.OK, result.status());
        assertTrue(result.out().startsWith("ambassadord "), result.out());
    }

    @Test
    void environmentVariableNamesFollowTheOptionNames() {
        assertEquals("AMBASSADORD_CONNECT_TIMEOUT", EnvironmentDefaults.variableFor("--connect-timeout"));
        assertEquals("AMBASSADORD_PORT", EnvironmentDefaults.variableFor("--port"));
    }
}
