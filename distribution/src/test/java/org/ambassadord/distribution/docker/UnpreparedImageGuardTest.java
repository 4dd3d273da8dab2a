package org.ambassadord.distribution.docker;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/**
 * The guard that keeps a test from leaning on an image another test class made: starting a
 * suite image this JVM never prepared fails at once, naming the image and where to get it,
 * before any engine is asked.
 */
class UnpreparedImageGuardTest {

    @Test
    void runOfAnUnpreparedSuiteImageFailsNamingIt() {
        String neverBuilt = Leftovers.IMAGE_TAG_PREFIX + "0";
        AssertionFailedError failure = assertThrows(AssertionFailedError.class,
                () -> Docker.run("run", "--rm", "--name", "guard-probe", neverBuilt, "true"));
        assertTrue(failure.getMessage().contains("docker run of the suite's image [" + neverBuilt + "], which no test"
                + " prepared in this JVM"), failure.getMessage());
    }

    @Test
    void createIsGuardedToo() {
        String neverBuilt = Leftovers.IMAGE_TAG_PREFIX + "0";
        assertThrows(AssertionFailedError.class, () -> Docker.run("create", neverBuilt));
    }

    @Test
    void otherImagesAndSubcommandsPass() {
        assertTrue(TestImages.unprepared(java.util.List.of("run", "--rm", "debian:bookworm", "true")).isEmpty());
        assertTrue(TestImages.unprepared(java.util.List.of("inspect", "redis:7")).isEmpty());
    }
}
