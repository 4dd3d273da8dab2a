package org.ambassadord.distribution.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.ambassadord.distribution.AdminClient;
import org.ambassadord.spi.testkit.ConsulAgent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The seed's discovery lines with real servers on the host, reached from the ambassador
 * container over the default bridge: DNS SRV answered by dnsmasq, and etcd v3. Both modes
 * listen on 10000.
 */
@ExtendWith(DockerSuite.class)
class DiscoveryIT {

    private static final int LISTEN_PORT = 10000;
    private static final long CHANGE_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(30);

    /**
     * {@code docker run -d ambassadord srv://redis.service.consul?dns=<gateway>:<port>}: two SRV
     * records of different priority; the first is used while it answers, the second once it
     * is stopped (RFC 2782 order).
     */
    @Test
    void srvBackendsInPriorityOrder(Containers docker) throws Exception {
        String first = docker.echoBackend("srv-first", 7001, "srv-first");
        String second = docker.echoBackend("srv-second", 7002, "srv-second");
        String gateway = Containers.bridgeGateway();
        try (HostDnsmasq dns = HostDnsmasq.onSomePort(gateway, List.of(
                "--srv-host=redis.service.consul,first.e2e.test,7001,10,1",
                "--srv-host=redis.service.consul,second.e2e.test,7002,20,1",
                "--host-record=first.e2e.test," + docker.address(first),
                "--host-record=second.e2e.test," + docker.address(second)))) {
            String ambassador = docker.startAmbassador("srv", docker.image(),
                    "srv://redis.service.consul?dns=" + gateway + ":" + dns.port());
            List<String> link = List.of("--link", ambassador + ":redis");

            for (int i = 0; i < 3; i++) {
                assertEquals("srv-first", docker.reply(link, "redis", LISTEN_PORT), docker.log(ambassador));
            }
            Docker.ok("stop", "--time", "1", first);
            assertEquals("srv-second", docker.reply(link, "redis", LISTEN_PORT), docker.log(ambassador));
        }
    }

    /**
     * The seed's exact {@code docker run -d ambassadord redis.service.consul}, with the
     * container's resolver pointed at the host's dnsmasq by {@code --dns <gateway>}. A resolver
     * has no port, so this one needs port 53 of the gateway address free.
     */
    @Test
    void bareSrvNameThroughTheContainersResolver(Containers docker) throws Exception {
        String backend = docker.echoBackend("srv-bare", 7003, "srv-bare");
        String gateway = Containers.bridgeGateway();
        Optional<HostDnsmasq> started = HostDnsmasq.start(gateway, 53, List.of(
                "--srv-host=redis.service.consul,bare.e2e.test,7003,10,1",
                "--host-record=bare.e2e.test," + docker.address(backend)));
        assertTrue(started.isPresent(), "port 53 of " + gateway + " is taken: the seed's bare-name form needs a resolver"
                + " there; stop the DNS server listening on that address");
        try (HostDnsmasq dns = started.get()) {
            String ambassador = docker.startAmbassador("srv-bare-name", "--dns", gateway, docker.image(),
                    "redis.service.consul");

            assertEquals("srv-bare", docker.reply(List.of("--link", ambassador + ":redis"), "redis", LISTEN_PORT),
                    docker.log(ambassador) + dns.log());
        }
    }

    /**
     * {@code docker run -d ambassadord etcd://<gateway>:<port>/path/to/backend/nodes}: the values
     * of the children are the backends, and a changed value is followed.
     */
    @Test
    void etcdChildrenAreBackendsAndChangesAreFollowed(Containers docker) throws Exception {
        String a = docker.echoBackend("etcd-a", 7011, "etcd-a");
        String b = docker.echoBackend("etcd-b", 7012, "etcd-b");
        try (HostEtcd etcd = HostEtcd.start(Containers.bridgeGateway())) {
            etcd.put("/path/to/backend/nodes/redis-1", docker.address(a) + ":7011");
            String ambassador = docker.startAmbassador("etcd-nodes", docker.image(), "--admin", "0.0.0.0:9901",
                    "etcd://" + etcd.endpoint() + "/path/to/backend/nodes");
            List<String> link = List.of("--link", ambassador + ":redis");
            String status = "http://" + docker.address(ambassador) + ":9901/status";

            assertEquals("etcd-a", docker.reply(link, "redis", LISTEN_PORT), docker.log(ambassador));
            String before = AdminClient.get(status);
            assertTrue(before.contains("\"" + docker.address(a) + ":7011\""), before);
            long firstRevision = revision(before);

            etcd.put("/path/to/backend/nodes/redis-1", docker.address(b) + ":7012");
            long deadline = System.nanoTime() + CHANGE_LIMIT_NANOS;
            String reply;
            do {
                reply = docker.reply(link, "redis", LISTEN_PORT);
            } while (!reply.equals("etcd-b") && System.nanoTime() < deadline);
            assertEquals("etcd-b", reply, "the changed value was not followed within 30 s\n" + docker.log(ambassador));
            // /status shows the change: the new endpoint, and a later etcd revision.
            String after = AdminClient.get(status);
            assertTrue(after.contains("\"" + docker.address(b) + ":7012\""), after);
            assertTrue(revision(after) > firstRevision, before + "\n" + after);
        }
    }

    private static long revision(String status) {
        java.util.regex.Matcher revision = java.util.regex.Pattern.compile("read at revision (\\d+)").matcher(status);
        assertTrue(revision.find(), status);
        return Long.parseLong(revision.group(1));
    }

    /**
     * The seed's {@code docker run -d ambassadord consul://<agent>/path/to/backend/nodes}
     * against a real Consul 1.8.7 agent: the children's values are the backends, and a
     * changed value is followed.
     */
    @Test
    void consulChildrenAreBackendsAndChangesAreFollowed(Containers docker) throws Exception {
        String a = docker.echoBackend("consul-a", 7021, "consul-a");
        String b = docker.echoBackend("consul-b", 7022, "consul-b");
        try (ConsulAgent consul = ConsulAgent.start(Containers.bridgeGateway(), false)) {
            consul.put("path/to/backend/nodes/redis-1", docker.address(a) + ":7021");
            String ambassador = docker.startAmbassador("consul-nodes", docker.image(),
                    "consul://" + consul.address() + "/path/to/backend/nodes");
            List<String> link = List.of("--link", ambassador + ":redis");

            assertEquals("consul-a", docker.reply(link, "redis", LISTEN_PORT), docker.log(ambassador));
            consul.put("path/to/backend/nodes/redis-1", docker.address(b) + ":7022");
            long deadline = System.nanoTime() + CHANGE_LIMIT_NANOS;
            String reply;
            do {
                reply = docker.reply(link, "redis", LISTEN_PORT);
            } while (!reply.equals("consul-b") && System.nanoTime() < deadline);
            assertEquals("consul-b", reply, "the changed value was not followed within 30 s\n" + docker.log(ambassador));
        }
    }

    /**
     * {@code consul-service://} through the image against a real Consul 1.8.7 agent (issue 23):
     * of two registered instances only the passing one is relayed to; when its TTL check fails
     * and the other's passes, connections follow.
     */
    @Test
    void consulServiceFollowsHealth(Containers docker) throws Exception {
        String a = docker.echoBackend("service-a", 7031, "service-a");
        String b = docker.echoBackend("service-b", 7032, "service-b");
        try (ConsulAgent consul = ConsulAgent.start(Containers.bridgeGateway(), false)) {
            register(consul, "redis-a", docker.address(a), 7031, "passing");
            register(consul, "redis-b", docker.address(b), 7032, "critical");
            String ambassador = docker.startAmbassador("consul-service", docker.image(),
                    "consul-service://" + consul.address() + "/redis");
            List<String> link = List.of("--link", ambassador + ":redis");
            assertEquals("service-a", docker.reply(link, "redis", LISTEN_PORT), docker.log(ambassador));

            check(consul, "redis-a", "fail");
            check(consul, "redis-b", "pass");
            long deadline = System.nanoTime() + CHANGE_LIMIT_NANOS;
            String reply;
            do {
                reply = docker.reply(link, "redis", LISTEN_PORT);
            } while (!reply.equals("service-b") && System.nanoTime() < deadline);
            assertEquals("service-b", reply, "the health change was not followed within 30 s\n" + docker.log(ambassador));
        }
    }

    private static void register(ConsulAgent consul, String id, String address, int port, String status) throws Exception {
        String body = "{\"ID\":\"" + id + "\",\"Name\":\"redis\",\"Address\":\"" + address + "\",\"Port\":" + port
                + ",\"Check\":{\"CheckID\":\"" + id + "-ttl\",\"TTL\":\"10m\",\"Status\":\"" + status + "\"}}";
        ConsulAgent.Answer answer = consul.request("PUT", "/v1/agent/service/register",
                body.getBytes(java.nio.charset.StandardCharsets.UTF_8), consul.managementToken());
        assertEquals(200, answer.status(), answer.text());
    }

    private static void check(ConsulAgent consul, String id, String verb) throws Exception {
        ConsulAgent.Answer answer = consul.request("PUT", "/v1/agent/check/" + verb + "/" + id + "-ttl", new byte[0],
                consul.managementToken());
        assertEquals(200, answer.status(), answer.text());
    }

    /** A path without children: its own value is the backend. */
    @Test
    void etcdValueAtThePath(Containers docker) throws Exception {
        String backend = docker.echoBackend("etcd-single", 7013, "etcd-single");
        try (HostEtcd etcd = HostEtcd.start(Containers.bridgeGateway())) {
            etcd.put("/services/redis", docker.address(backend) + ":7013");
            String ambassador = docker.startAmbassador("etcd-value", docker.image(),
                    "etcd://" + etcd.endpoint() + "/services/redis");

            assertEquals("etcd-single", docker.reply(List.of("--link", ambassador + ":redis"), "redis", LISTEN_PORT),
                    docker.log(ambassador));
        }
    }
}
