package org.ambassadord.plugin.links;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import org.ambassadord.spi.BackendSpecException;

/**
 * What the Docker engine answers when links mode reads links from the API: any inspection of
 * this container and of the containers it links goes through {@link ApiLinks#linksOf} to links
 * or a {@link BackendSpecException}, never another exception; every link has a port in range,
 * an address literal (never a name to look up) and a one-line description.
 */
class LinkAnswersFuzzTest {

    private static final ObjectMapper JSON = new DefaultDockerClientConfig.Builder().withDockerHost("unix:///nowhere")
            .build().getObjectMapper();

    @FuzzTest(maxDuration = "10s")
    @DictionaryEntries({"{\"Id\":\"", "\"HostConfig\":{\"Links\":[\"/redis:/web/db\"]}", "\"Links\":[\"",
        "\"NetworkSettings\":{\"Networks\":{\"bridge\":{\"IPAddress\":\"", "\"Config\":{\"ExposedPorts\":{\"6379/tcp\":{}}}",
        "/tcp", "/udp", "172.17.0.2", "::1", "fe80::1%eth0", "\\n", "\\u001b", ":", "/", "\"", "}", "65536", "0"})
    void anyInspectionGivesLinksInRangeOrARefusal(FuzzedDataProvider data) {
        InspectContainerResponse own = parse(data.consumeString(2048));
        List<InspectContainerResponse> linked = new ArrayList<>();
        int count = data.consumeInt(0, 4);
        for (int i = 0; i < count; i++) {
            linked.add(parse(data.consumeString(2048)));
        }
        if (own == null) {
            return;
        }
        Map<String, List<DockerLink>> links;
        try {
            links = ApiLinks.linksOf(own, name -> {
                int index = Math.floorMod(name.hashCode(), Math.max(1, linked.size()));
                if (linked.isEmpty() || linked.get(index) == null) {
                    throw new BackendSpecException("--links: cannot inspect linked container [" + name + "]");
                }
                return linked.get(index);
            });
        } catch (BackendSpecException refused) {
            assertNotNull(refused.getMessage());
            return;
        }
        links.values().forEach(list -> list.forEach(link -> {
            assertTrue(link.port() >= 1 && link.port() <= 65535, link.toString());
            assertTrue(link.host().chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':' || c == '%'
                    || Character.isLetterOrDigit(c)), "not a literal: " + link.host());
            assertTrue(link.variable().chars().noneMatch(c -> c < 0x20 || c == 0x7f), link.variable());
        }));
    }

    private static InspectContainerResponse parse(String json) {
        try {
            return JSON.readValue(json, InspectContainerResponse.class);
        } catch (JacksonException | IllegalArgumentException notAnAnswer) {
            return null;
        }
    }
}
