package org.ambassadord.distribution.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.ambassadord.spi.testkit.DockerEngines;
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

    /**
     * {@code --link} on a user-defined network sets no link variables (on every engine, and on
     * the default bridge from Engine 29 on): with the Docker socket mounted, the ambassador
     * reads its links from the Docker API, and follows the linked container when a restart
     * gives it another address.
     */
    @Test
    void linksOnAUserDefinedNetworkComeFromTheDockerApi(Containers docker) {
        String network = docker.name("links-net");
        // A subnet of its own: only then may a container ask for a fixed address (the filler below).
        Docker.ok("network", "create", "--subnet", "10.216." + ProcessHandle.current().pid() % 250 + ".0/24", network);
        String redis = docker.name("redis-api");
        String ambassador = docker.name("ambassador-api-links");
        String filler = docker.name("address-filler");
        try {
            docker.start("redis-api", "--network", network, "--expose", "6379", TestImages.busybox(),
                    "nc", "-ll", "-p", "6379", "-e", "/bin/echo", "api-linked-redis");
            docker.startAmbassador("ambassador-api-links", "--network", network, "--link", redis + ":redis",
                    "-v", DockerEngines.socket() + ":/var/run/docker.sock", docker.image(), "--links");
            List<String> onNetwork = List.of("--network", network);
            assertEquals("api-linked-redis", docker.reply(onNetwork, ambassador, 6379), docker.log(ambassador));
            assertTrue(docker.log(ambassador).contains("(Docker API link "), docker.log(ambassador));

            // Stop it, let another container take its address, start it again elsewhere.
            String before = Docker.ok("inspect", "--format", "{{(index .NetworkSettings.Networks \"" + network
                    + "\").IPAddress}}", redis);
            Docker.ok("stop", "--time", "1", redis);
            docker.start("address-filler", "--network", network, "--ip", before, TestImages.busybox(), "sleep", "300");
            Docker.ok("start", redis);
            String after = Docker.ok("inspect", "--format", "{{(index .NetworkSettings.Networks \"" + network
                    + "\").IPAddress}}", redis);
            assertTrue(!after.equals(before), "the restarted container kept " + before);
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
            Docker.Result result;
            do {
                result = docker.connect(onNetwork, ambassador, 6379);
            } while (!result.out().strip().equals("api-linked-redis") && System.nanoTime() < deadline);
            assertEquals("api-linked-redis", result.out().strip(), "not followed from " + before + " to " + after + "\n"
                    + docker.log(ambassador));
            assertTrue(docker.log(ambassador).contains("-> " + after + ":6379 now"), docker.log(ambassador));
        } finally {
            Docker.run("rm", "--force", ambassador, redis, filler);
            Docker.run("network", "rm", network);
        }
    }
}
