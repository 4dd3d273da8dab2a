package org.ambassadord.plugin.consul;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

class EndpointResolverTest {

    @Test
    void resolvesValuesListsAndLiteralsAndSkipsInvalidOnes() throws UnknownHostException {
        EndpointResolver resolver = new EndpointResolver();
        EndpointResolver.Resolution resolution = resolver.resolve(values(
                new KvPair("app/a", "127.0.0.1:7001\n"),
                new KvPair("app/b", "[::1]:7002, localhost:7003"),
                new KvPair("app/c", "not a backend"),
                new KvPair("app/d", "127.0.0.1:7001"),
                new KvPair("app/e", "127.0.0.1:99999")));
        assertEquals(List.of(
                new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 7001),
                new InetSocketAddress(InetAddress.getByName("::1"), 7002),
                new InetSocketAddress(InetAddress.getByName("localhost"), 7003)), resolution.endpoints());
        resolution.endpoints().forEach(endpoint -> assertTrue(!endpoint.isUnresolved()));
        assertEquals(2, resolution.problems().size(), resolution.problems().toString());
        assertTrue(resolution.problems().get(0).contains("key [app/c]: skipped value [not a backend]"));
        assertTrue(resolution.problems().get(1).contains("port [99999] is out of range"));
    }

    /** Issue 21: a stored key and value are the store's text; what is reported of them is one line, escaped. */
    @Test
    void hostileKeysAndValuesAreReportedEscaped() {
        EndpointResolver resolver = new EndpointResolver(host -> {
            throw new UnknownHostException(host + ": Name or service not known");
        });
        EndpointResolver.Resolution resolution = resolver.resolve(values(
                new KvPair("app/\u001b[2Ja", "not\nFORGED a backend"),
                new KvPair("app/b", "bad\rhost\u001b:80"),
                new KvPair("app/c", "unknown.test:80")));
        assertEquals(3, resolution.problems().size(), resolution.problems().toString());
        assertTrue(resolution.problems().get(0).contains("key [app/\\u001b[2Ja]: skipped value [not\\nFORGED a backend]"),
                resolution.problems().get(0));
        assertTrue(resolution.problems().get(1).contains("skipped value [bad\\rhost\\u001b:80]: [bad\\rhost\\u001b] is not"),
                resolution.problems().get(1));
        assertTrue(resolution.problems().get(2).contains("skipped host [unknown.test]"), resolution.problems().get(2));
        resolution.problems().forEach(problem -> assertTrue(problem.chars().noneMatch(c -> c < 0x20), problem));
    }

    @Test
    void keepsTheLastAddressOfANameThatStopsResolvingAndSkipsOneThatNeverDid() throws UnknownHostException {
        AtomicBoolean dnsDown = new AtomicBoolean();
        InetAddress address = InetAddress.getByAddress("redis.test", new byte[] {10, 1, 2, 3});
        EndpointResolver resolver = new EndpointResolver(host -> {
            if (dnsDown.get() || !host.equals("redis.test")) {
                throw new UnknownHostException(host);
            }
            return address;
        });
        BackendValues values = values(new KvPair("app/a", "redis.test:6379"), new KvPair("app/b", "never.test:6379"));

        EndpointResolver.Resolution up = resolver.resolve(values);
        assertEquals(List.of(new InetSocketAddress(address, 6379)), up.endpoints());
        assertTrue(up.problems().get(0).contains("skipped host [never.test]"), up.problems().toString());

        dnsDown.set(true);
        EndpointResolver.Resolution down = resolver.resolve(values);
        assertEquals(List.of(new InetSocketAddress(address, 6379)), down.endpoints());
        assertTrue(down.problems().get(0).contains("keeping its last address [10.1.2.3]"), down.problems().toString());
    }

    private static BackendValues values(KvPair... pairs) {
        return new BackendValues(List.of(pairs), "test");
    }
}
