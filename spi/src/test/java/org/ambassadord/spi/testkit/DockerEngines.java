package org.ambassadord.spi.testkit;

import java.nio.file.Path;

/**
 * Which Docker engine a test run talks to: the system's (Debian's 20.10 on
 * {@code /var/run/docker.sock}) unless the run sets {@code -Dambassadord.docker.engine=second},
 * as the suites' second executions do; then {@link SecondDockerEngine}, started once per JVM.
 */
public final class DockerEngines {

    public static final String PROPERTY = "ambassadord.docker.engine";
    public static final Path SYSTEM_SOCKET = Path.of("/var/run/docker.sock");

    private DockerEngines() {
    }

    /** Whether this run is against the second engine. */
    public static boolean second() {
        return "second".equals(System.getProperty(PROPERTY, "system"));
    }

    /** The socket of the engine under test, started if it is the second one. */
    public static Path socket() {
        return second() ? SecondDockerEngine.shared().socket() : SYSTEM_SOCKET;
    }

    /** {@code unix://<socket>}, as {@code DOCKER_HOST} and {@code omni://?docker=} take it. */
    public static String host() {
        return "unix://" + socket();
    }

    /** One line naming the engine, for test output. */
    public static String describe() {
        return second() ? "second engine " + SecondDockerEngine.shared().describe() : "system engine on " + SYSTEM_SOCKET;
    }
}
