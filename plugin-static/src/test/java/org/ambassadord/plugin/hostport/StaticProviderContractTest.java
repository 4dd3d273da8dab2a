package org.ambassadord.plugin.hostport;

import java.util.List;
import java.util.Set;

import org.ambassadord.spi.BackendProvider;
import org.ambassadord.spi.testkit.BackendProviderContract;

class StaticProviderContractTest extends BackendProviderContract {

    @Override
    protected BackendProvider provider() {
        return new StaticProvider();
    }

    @Override
    protected String validSpec() {
        return "10.0.0.1:6379,[fd00::2]:6380";
    }

    @Override
    protected Set<Integer> expectedListenPorts() {
        return Set.of(6379);
    }

    @Override
    protected List<BadSpec> badSpecs() {
        return List.of(
                new BadSpec("redis:70000", "port [70000] of [redis:70000] is out of range 1-65535"),
                new BadSpec("redis:0", "port [0] of [redis:0] is out of range 1-65535"),
                new BadSpec("redis:abc", "port [abc] of [redis:abc] is not a number"),
                new BadSpec("redis:", "port [] of [redis:] is not a number"),
                new BadSpec("a:1,,b:2", "has an empty item"),
                new BadSpec("redis", "[redis] is not host:port"),
                new BadSpec("::1:6379", "write it in brackets"),
                new BadSpec("[1.2.3.4]:80", "in brackets is not an IPv6 address"),
                new BadSpec("[zz::1]:80", "[zz::1] is not an IPv6 address"),
                // Issue 21: these went to the name service as host names.
                new BadSpec("[zz:1]:80", "[zz:1] is not an IPv6 address in [[zz:1]:80]"),
                new BadSpec("[.:]:80", "[.:] is not an IPv6 address"),
                new BadSpec("[%:]:80", "[%:] is not an IPv6 address"),
                new BadSpec("1.2.3.999:80", "[1.2.3.999] is not an IPv4 address in [1.2.3.999:80]"),
                new BadSpec("010.0.0.1:80", "[010.0.0.1] is not an IPv4 address"),
                new BadSpec("re dis:80", "host [re dis] of [re dis:80] is not a host name or IP address"),
                new BadSpec("static://", "names no endpoint"));
    }
}
