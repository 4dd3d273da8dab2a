package org.ambassadord.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.beust.jcommander.JCommander;
import org.junit.jupiter.api.Test;

/**
 * {@code --help} against its golden file ({@code src/test/resources/help.txt}: a change to the
 * help is a change to that file, reviewed), every option in a topic and in the README's
 * configuration table, and the man page from the same source rendering cleanly with groff.
 */
class HelpTextTest {

    private static HelpText help() {
        return new HelpText(JCommander.newBuilder().addObject(new Options()).build());
    }

    private static String run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        new Cli(Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
                .run(args);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpMatchesItsGoldenFile() throws IOException {
        String golden = Files.readString(Path.of("src/test/resources/help.txt"));
        assertEquals(golden, run("--help"), "the help changed: update src/test/resources/help.txt if that was meant");
    }

    @Test
    void everyOptionHasATopicAndADefaultAsUsersTypeIt() {
        assertEquals(List.of(), help().withoutTopic());
        String text = run("--help");
        assertTrue(text.contains("(default 5s; env AMBASSADORD_CONNECT_TIMEOUT)"), text);
        assertTrue(text.contains("(default 1h; env AMBASSADORD_IDLE_TIMEOUT)"), text);
        assertFalse(text.matches("(?s).*\\bPT\\d.*"), "durations in ISO-8601 form");
        assertFalse(text.contains("default false"), text);
    }

    @Test
    void everyOptionIsInTheReadmesConfigurationTable() throws IOException {
        String readme = Files.readString(Path.of("../README.md"));
        for (List<HelpText.Entry> entries : help().entries().values()) {
            for (HelpText.Entry entry : entries) {
                String option = entry.names().split(",")[0];
                assertTrue(readme.contains("| `" + option + "` |"), option + " is missing from the README's configuration table");
            }
        }
    }

    @Test
    void theManPageRendersWithGroff() throws Exception {
        String page = run("--man");
        assertTrue(page.startsWith(".TH AMBASSADORD 1"), page);
        Process groff;
        try {
            groff = new ProcessBuilder("groff", "-man", "-Tutf8", "-ww", "-z").redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("groff not found: install Debian package groff-base");
        }
        groff.getOutputStream().write(page.getBytes(StandardCharsets.UTF_8));
        groff.getOutputStream().close();
        String warnings = new String(groff.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(groff.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, groff.exitValue(), warnings);
        assertEquals("", warnings, "groff warnings");
    }
}
