package org.ambassadord.plugin.srv;

import java.util.List;
import java.util.Set;

import org.ambassadord.spi.BackendProvider;
import org.ambassadord.spi.testkit.BackendProviderContract;

/** The SPI contract for the {@code srv} provider. */
class SrvProviderContractTest extends BackendProviderContract {

    @Override
    protected BackendProvider provider() {
        return new SrvProvider();
    }

    /** Port 9 (discard) answers nothing; opening must not wait for it. */
    @Override
    protected String validSpec() {
        return "srv://redis.service.consul?dns=127.0.0.1:9";
    }

    @Override
    protected List<BadSpec> badSpecs() {
        return List.of(
                new BadSpec("srv://", "has no name"),
                new BadSpec("srv://?dns=127.0.0.1:53", "has no name"),
                new BadSpec("srv://redis.service.consul?foo=bar", "unknown option [foo=bar]"),
                new BadSpec("srv://redis.service.consul?dns=127.0.0.1:53&ttl=5", "unknown option [ttl=5]"),
                new BadSpec("srv://redis.service.consul?dns=127.0.0.1:70000", "port [70000]"),
                new BadSpec("srv://redis.service.consul?dns=127.0.0.1:0", "port [0]"),
                new BadSpec("srv://redis.service.consul?dns=127.0.0.1:dns", "port [dns]"),
                new BadSpec("srv://redis.service.consul?dns=127.0.0.1:", "port []"),
                new BadSpec("srv://redis.service.consul?dns=[::1", "DNS server [[::1]"),
                new BadSpec("srv://redis.service.consul?dns=:53", "has no host"),
                new BadSpec("srv://redis.service.consul?dns=", "needs a value"),
                new BadSpec("srv://a.b?dns=10.0.0.1&dns=10.0.0.2", "option [dns] is given twice"),
                new BadSpec("srv://redis.service.consul:6379", "must not have a port"),
                new BadSpec("srv://redis service", "is not a DNS name"),
                new BadSpec("srv://redis..consul", "[redis..consul]"),
                new BadSpec("consul://127.0.0.1:8500/x", "not an SRV spec"));
    }

    @Override
    protected Set<Integer> expectedListenPorts() {
        return Set.of(10000);
    }
}
