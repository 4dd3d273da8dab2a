package org.ambassadord.distribution.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The seed's standard mode lines, run with our image: static backends by address and by
 * name (one of two stopped), and {@code --links} with one and two links. Each client is a
 * container linked to the ambassador that checks the bytes its backend sent.
 */
@ExtendWith(DockerSuite.class)
class StandardModeIT {

    /** {@code docker run -d --expose 8080 ambassadord 192.168.1.100:8080} */
    @Test
    void staticBackendByAddress(Containers docker) {
        String backend = docker.echoBackend("web", 8080, "web-backend");
        String ambassador = docker.startAmbassador("ambassador-8080", "--expose", "8080", docker.image(),
                docker.address(backend) + ":8080");

        assertEquals("web-backend", docker.reply(List.of("--link", ambassador + ":web"), "web", 8080));
    }

    /**
     * {@code docker run -d --expose 6379 ambassadord redis.example.com:6379}, the name in the
     * ambassador's /etc/hosts ({@code --add-host}), as a DNS name would be.
     */
    @Test
    void staticBackendByName(Containers docker) {
        String backend = docker.echoBackend("redis-by-name", 6379, "redis-by-name");
        String ambassador = docker.startAmbassador("ambassador-name", "--expose", "6379",
                "--add-host", "redis.example.com:" + docker.address(backend), docker.image(), "redis.example.com:6379");

        assertEquals("redis-by-name", docker.reply(List.of("--link", ambassador + ":redis"), "redis", 6379));
    }

    /**
     * {@code docker run -d --expose 6379 ambassadord redis-1.example.com:6379,redis-2.example.com:6379}
     * with the names in the ambassador's /etc/hosts; redis-2 is stopped, and every connection
     * is still served by redis-1.
     */
    @Test
    void listOfTwoWithOneStoppedIsStillServed(Containers docker) {
        String redis1 = docker.echoBackend("redis-1", 6379, "redis-1");
        String redis2 = docker.echoBackend("redis-2", 6379, "redis-2");
        String ambassador = docker.startAmbassador("ambassador-list", "--expose", "6379",
                "--add-host", "redis-1.example.com:" + docker.address(redis1),
                "--add-host", "redis-2.example.com:" + docker.address(redis2),
                docker.image(), "redis-1.example.com:6379,redis-2.example.com:6379");
        Docker.ok("stop", "--time", "1", redis2);

        for (int i = 0; i < 6; i++) {
            assertEquals("redis-1", docker.reply(List.of("--link", ambassador + ":redis"), "redis", 6379),
                    "connection " + i + "\n" + docker.log(ambassador));
        }
    }

    /** {@code docker run -d --expose 6379 --link redis:redis ambassadord --links} */
    @Test
    void oneLink(Containers docker) {
        String redis = docker.echoBackend("redis", 6379, "linked-redis");
        String ambassador = docker.startAmbassador("ambassador-link", "--expose", "6379",
                "--link", redis + ":redis", docker.image(), "--links");

        assertEquals("linked-redis", docker.reply(List.of("--link", ambassador + ":redis"), "redis", 6379));
    }

    /** {@code docker run -d --expose 6379 --expose 8080 --link redis:redis --link http:http ambassadord --links} */
    @Test
    void twoLinks(Containers docker) {
        String redis = docker.echoBackend("redis-two", 6379, "linked-redis");
        String http = docker.echoBackend("http-two", 8080, "linked-http");
        String ambassador = docker.startAmbassador("ambassador-links", "--expose", "6379", "--expose", "8080",
                "--link", redis + ":redis", "--link", http + ":http", docker.image(), "--links");

        List<String> linked = List.of("--link", ambassador + ":backends");
        assertEquals("linked-redis", docker.reply(linked, "backends", 6379));
        assertEquals("linked-http", docker.reply(linked, "backends", 8080));
        String log = docker.log(ambassador);
        assertTrue(log.contains("link [REDIS]") && log.contains("link [HTTP]"), log);
    }
}
