package org.ambassadord.plugin.links;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.ambassadord.spi.BackendSpecException;

/**
 * Link variables ({@code <ALIAS>_PORT_<port>_TCP=tcp://addr:port}) are the ambassador's own
 * environment, set from what the linked containers expose: any set of variables gives links
 * with ports in range, or a {@link BackendSpecException}.
 */
class LinkVariablesFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void parsesOrRefuses(FuzzedDataProvider data) {
        Map<String, String> environment = new HashMap<>();
        int variables = data.consumeInt(0, 6);
        for (int i = 0; i < variables; i++) {
            String alias = data.consumeString(12);
            int port = data.consumeInt(0, 70000);
            String name = data.consumeBoolean() ? alias + "_PORT_" + port + "_TCP" : data.consumeString(24);
            String value = data.consumeBoolean() ? "tcp://" + data.consumeString(40) + ":" + data.consumeInt(0, 70000)
                    : data.consumeString(60);
            environment.put(name, value);
        }
        try {
            List<DockerLink> links = LinkVariables.parse(environment);
            for (DockerLink link : links) {
                assertTrue(link.port() >= 1 && link.port() <= 65535, environment.toString());
                assertTrue(link.hostPort() >= 1 && link.hostPort() <= 65535, environment.toString());
            }
            LinkVariables.byPort(links);
        } catch (BackendSpecException refused) {
            assertNotNull(refused.getMessage());
        }
    }
}
