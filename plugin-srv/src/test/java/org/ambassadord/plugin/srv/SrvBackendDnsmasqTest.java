package org.ambassadord.plugin.srv;

import static org.ambassadord.plugin.srv.Resolutions.CONNECTION;
import static org.ambassadord.plugin.srv.Resolutions.await;
import static org.ambassadord.plugin.srv.Resolutions.awaitOutcome;
import static org.ambassadord.plugin.srv.Resolutions.refusal;
import static org.ambassadord.plugin.srv.Resolutions.resolve;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.ambassadord.spi.Backend;
import org.ambassadord.spi.testkit.TestProviderContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ResolverConfig;

/**
 * The SRV backend against a real dnsmasq: where the addresses come from, RFC 2782 order,
 * following changes after the TTL, riding out a dead DNS server, refusing when the service
 * does not exist, and never blocking the caller of {@code resolve}.
 */
class SrvBackendDnsmasqTest {

    private final TestProviderContext context = new TestProviderContext();
    private final SrvProvider provider = new SrvProvider();

    @AfterEach
    void closeContext() {
        context.close();
    }

    private Backend open(Dnsmasq dnsmasq, String name) throws Exception {
        return provider.open("srv://" + name + "?" + dnsmasq.dnsOption(), context);
    }

    private static InetSocketAddress endpoint(String ip, int port) {
        return new InetSocketAddress(ip, port);
    }

    @Test
    void takesAddressesFromTheAdditionalSectionMatchedByName() throws Exception {
        try (Dnsmasq dnsmasq = Dnsmasq.start(
                "--srv-host=redis.service.consul,a.test,6379,10,1",
                "--srv-host=redis.service.consul,b.test,6380,10,1",
                "--host-record=b.test,127.0.0.2,::2",
                "--host-record=a.test,127.0.0.1");
             Backend backend = open(dnsmasq, "redis.service.consul")) {
            List<InetSocketAddress> endpoints = resolve(backend);

            assertEquals(Set.of(endpoint("127.0.0.1", 6379), endpoint("127.0.0.2", 6380), endpoint("::2", 6380)),
                    Set.copyOf(endpoints), "each target gets its own addresses, whatever their position");
            int v4 = endpoints.indexOf(endpoint("127.0.0.2", 6380));
            assertEquals(endpoint("::2", 6380), endpoints.get(v4 + 1), "a target's addresses stay together, IPv4 first");
        }
    }

    @Test
    void looksTargetsUpWhenTheAdditionalSectionLacksThem() throws Exception {
        // --address answers A queries but is not added as glue to SRV answers.
        try (Dnsmasq dnsmasq = Dnsmasq.start(
                "--srv-host=web.test,c.test,8080,1,1",
                "--address=/c.test/127.0.0.3");
             Backend backend = open(dnsmasq, "web.test")) {
            assertEquals(List.of(endpoint("127.0.0.3", 8080)), resolve(backend));
        }
    }

    @Test
    void readsAnswersTooLargeForUdpOverTcp() throws Exception {
        int targets = 60; // about 3 KB of SRV and glue records: truncated over UDP
        List<String> records = new ArrayList<>();
        Set<InetSocketAddress> expected = new HashSet<>();
        for (int i = 1; i <= targets; i++) {
            records.add("--srv-host=big.test,target-" + i + ".test," + (20000 + i) + ",1,1");
            records.add("--host-record=target-" + i + ".test,127.0.1." + i);
            expected.add(endpoint("127.0.1." + i, 20000 + i));
        }
        try (Dnsmasq dnsmasq = Dnsmasq.start(records.toArray(String[]::new));
             Backend backend = open(dnsmasq, "big.test")) {
            assertEquals(expected, Set.copyOf(resolve(backend)));
        }
    }

    @Test
    void lowestPriorityTakesEveryConnectionWhileItExists() throws Exception {
        String[] fallbackOnly = {"--srv-host=db.test,c.test,6381,20,100", "--host-record=c.test,127.0.0.3"};
        try (Dnsmasq dnsmasq = Dnsmasq.start(
                "--srv-host=db.test,a.test,6379,10,1",
                "--srv-host=db.test,b.test,6380,10,3",
                fallbackOnly[0], fallbackOnly[1],
                "--host-record=a.test,127.0.0.1",
                "--host-record=b.test,127.0.0.2");
             Backend backend = open(dnsmasq, "db.test")) {
            for (int i = 0; i < 500; i++) {
                List<InetSocketAddress> endpoints = resolve(backend);
                assertEquals(Set.of(6379, 6380), Set.of(endpoints.get(0).getPort(), endpoints.get(1).getPort()),
                        "priority 10 first: " + endpoints);
                assertEquals(endpoint("127.0.0.3", 6381), endpoints.get(2), "priority 20 last: " + endpoints);
            }

            dnsmasq.restart(fallbackOnly);
            awaitOutcome(backend, List.of(endpoint("127.0.0.3", 6381)),
                    "only priority 20 once priority 10 is gone");
        }
    }

    @Test
    void weightsSplitConnectionsWithinAPriority() throws Exception {
        try (Dnsmasq dnsmasq = Dnsmasq.start(
                "--srv-host=db.test,a.test,6379,10,1",
                "--srv-host=db.test,b.test,6380,10,3",
                "--host-record=a.test,127.0.0.1",
                "--host-record=b.test,127.0.0.2");
             Backend backend = open(dnsmasq, "db.test")) {
            int connections = 2000;
            int heavy = 0;
            for (int i = 0; i < connections; i++) {
                if (resolve(backend).get(0).getPort() == 6380) {
                    heavy++;
                }
            }
            // Weights 1:3 → 75 % first to the heavy target; ±5 % is about five standard deviations.
            assertTrue(Math.abs(heavy - connections * 3 / 4) <= connections / 20,
                    "weight 3 of 4 should take ~1500 of 2000 connections, took " + heavy);
        }
    }

    @Test
    void followsAChangedRecordAfterItsTtl() throws Exception {
        try (Dnsmasq dnsmasq = Dnsmasq.start("--srv-host=cache.test,h.test,11211,1,1");
             Backend backend = open(dnsmasq, "cache.test")) {
            dnsmasq.hosts("127.0.0.5 h.test");
            awaitOutcome(backend, List.of(endpoint("127.0.0.5", 11211)), "the first address");

            dnsmasq.hosts("127.0.0.6 h.test"); // changed live, dnsmasq keeps running
            awaitOutcome(backend, List.of(endpoint("127.0.0.6", 11211)), "the changed address");

            dnsmasq.restart("--srv-host=cache.test,h.test,11212,1,1"); // a changed SRV record
            awaitOutcome(backend, List.of(endpoint("127.0.0.6", 11212)), "the changed port");
            assertEquals(0, ((SrvBackend) backend).cache().failureStreak(), "recovered from the restart");
        }
    }

    @Test
    void keepsTheLastAnswerWhileDnsmasqIsStopped() throws Exception {
        try (Dnsmasq dnsmasq = Dnsmasq.start(
                "--srv-host=queue.test,a.test,5672,1,1", "--host-record=a.test,127.0.0.1");
             Backend backend = open(dnsmasq, "queue.test")) {
            List<InetSocketAddress> before = resolve(backend);
            assertEquals(List.of(endpoint("127.0.0.1", 5672)), before);

            dnsmasq.stop();
            SrvAnswerCache cache = ((SrvBackend) backend).cache();
            await(() -> cache.failureStreak() >= 2, "two failed refreshes after dnsmasq stopped");
            for (int i = 0; i < 100; i++) {
                assertEquals(before, resolve(backend), "the last answer keeps serving");
            }

            dnsmasq.restart("--srv-host=queue.test,a.test,5673,1,1", "--host-record=a.test,127.0.0.1");
            awaitOutcome(backend, List.of(endpoint("127.0.0.1", 5673)), "the answer after the restart");
        }
    }

    @Test
    void refusesConnectionsWhenTheServiceDoesNotExist() throws Exception {
        try (Dnsmasq dnsmasq = Dnsmasq.start(
                "--srv-host=gone.test",
                "--host-record=plain.test,127.0.0.9",
                "--srv-host=nowhere.test,void.test,80,1,1");
             Backend missing = open(dnsmasq, "missing.test");
             Backend gone = open(dnsmasq, "gone.test");
             Backend plain = open(dnsmasq, "plain.test");
             Backend nowhere = open(dnsmasq, "nowhere.test")) {
            assertEquals("DNS name [missing.test] does not exist (NXDOMAIN)", refusal(missing));
            assertTrue(refusal(gone).contains("has target [.]"), refusal(gone));
            assertEquals("DNS name [plain.test] has no SRV records", refusal(plain));
            assertEquals("SRV targets [void.test] of [nowhere.test] have no addresses", refusal(nowhere));
        }
    }

    @Test
    void refusesOnceTheServiceDisappearsAndServesWhenItReturns() throws Exception {
        String[] service = {"--srv-host=api.test,a.test,9000,1,1", "--host-record=a.test,127.0.0.1"};
        try (Dnsmasq dnsmasq = Dnsmasq.start(service);
             Backend backend = open(dnsmasq, "api.test")) {
            assertEquals(List.of(endpoint("127.0.0.1", 9000)), resolve(backend));

            dnsmasq.restart();
            awaitOutcome(backend, "refused: DNS name [api.test] does not exist (NXDOMAIN)", "a refusal");

            dnsmasq.restart(service);
            awaitOutcome(backend, List.of(endpoint("127.0.0.1", 9000)), "the service again");
        }
    }

    @Test
    void connectionsBeforeTheFirstAnswerWaitForItAndLaterOnesAreAnsweredAtOnce() throws Exception {
        try (Dnsmasq dnsmasq = Dnsmasq.start("--srv-host=slow.test,a.test,7000,1,1", "--host-record=a.test,127.0.0.1");
             HoldingDnsProxy proxy = new HoldingDnsProxy(dnsmasq.port());
             Backend backend = provider.open("srv://slow.test?dns=127.0.0.1:" + proxy.port(), context)) {
            DatagramPacket query = proxy.receive();
            CompletableFuture<List<InetSocketAddress>> early = backend.resolve(CONNECTION).toCompletableFuture();
            assertFalse(early.isDone(), "no answer yet, so resolve must not complete (nor block)");

            proxy.answer(query);
            assertEquals(List.of(endpoint("127.0.0.1", 7000)), early.get(10, TimeUnit.SECONDS));

            proxy.forwardEverything();
            for (int i = 0; i < 1000; i++) {
                assertTrue(backend.resolve(CONNECTION).toCompletableFuture().isDone(), "answered from the cache");
            }
        }
    }

    @Test
    void refusesWithTheReasonWhileNoDnsServerEverAnswered() throws Exception {
        int silentPort;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            silentPort = probe.getLocalPort();
        } // closed: nothing listens there now
        try (Backend backend = provider.open("srv://x.test?dns=127.0.0.1:" + silentPort, context)) {
            String refusal = refusal(backend);
            assertTrue(refusal.startsWith("no DNS answer for [x.test] yet: "), refusal);
        }
    }

    @Test
    void aBareNameAsksTheResolversOfTheSystemConfiguration() throws Exception {
        // dnsjava's system configuration honours -Ddns.server before /etc/resolv.conf.
        try (Dnsmasq dnsmasq = Dnsmasq.start(
                "--srv-host=redis.service.consul,a.test,6379,1,1", "--host-record=a.test,127.0.0.1")) {
            System.setProperty("dns.server", "127.0.0.1:" + dnsmasq.port());
            ResolverConfig.refresh();
            String spec = "redis.service.consul";
            assertTrue(provider.claimsSchemelessSpec(spec));
            try (Backend backend = provider.open(spec, context)) {
                assertEquals(List.of(endpoint("127.0.0.1", 6379)), resolve(backend));
            }
        } finally {
            System.clearProperty("dns.server");
            ResolverConfig.refresh();
        }
    }
}
