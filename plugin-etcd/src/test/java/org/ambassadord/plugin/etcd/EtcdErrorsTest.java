package org.ambassadord.plugin.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.Test;

/** What an etcd server says in an error is its own text (issue 21): one line, escaped, in one pass. */
class EtcdErrorsTest {

    @Test
    void linesAreJoinedAndControlsEscaped() {
        String described = EtcdErrors.describe(new CompletionException(
                new IOException("UNAVAILABLE: io exception\n  Channel Pipeline: [x]\n\nFORGED\u001b[2J")));
        assertEquals("IOException: UNAVAILABLE: io exception; Channel Pipeline: [x]; FORGED\\u001b[2J", described);
    }

    @Test
    void aMebibyteOfWhitespaceIsDescribedInLinearTime() {
        // The old pattern \s*\R\s* tried every run of blanks from each of its positions.
        String hostile = " ".repeat(1 << 20) + "x" + "\t".repeat(1 << 20);
        String described = assertTimeoutPreemptively(Duration.ofSeconds(1),
                () -> EtcdErrors.describe(new IOException(hostile)));
        assertTrue(described.length() < 600, described.length() + " chars");
    }
}
