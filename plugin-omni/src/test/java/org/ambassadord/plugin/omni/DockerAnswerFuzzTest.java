package org.ambassadord.plugin.omni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.core.DefaultDockerClientConfig;

/**
 * What a Docker engine answers, as docker-java maps it: any {@code /containers/json} body goes
 * through {@link ContainerRecord#of} (names, networks' address strings through
 * {@link ClientAddresses}, labels and {@code BACKEND_} variables) without an exception; the
 * addresses are literals only (never a looked-up name), IPv4-mapped ones unmapped; specs are
 * for ports 1-65535 and kept at most one character past the limit. The answer's bytes, in any
 * chunking, pass {@link DockerAnswerCap} exactly when they are within the cap.
 */
class DockerAnswerFuzzTest {

    private static final ObjectMapper JSON = new DefaultDockerClientConfig.Builder().withDockerHost("unix:///nowhere")
            .build().getObjectMapper();

    @FuzzTest(maxDuration = "10s")
    @DictionaryEntries({"[{", "}]", "\"Id\":\"", "\"Names\":[\"/", "\"Labels\":{", "\"connect.6379\":\"",
        "\"NetworkSettings\":{\"Networks\":{\"bridge\":{", "\"IPAddress\":\"", "\"GlobalIPv6Address\":\"", "172.17.0.2",
        "::ffff:10.0.0.1", "fe80::1%eth0", "BACKEND_", "\"", ",", ":", "\\n", "\\u001b", "65535", "65536", "0"})
    void anyListingBecomesRecordsAndPassesTheCapByItsSize(FuzzedDataProvider data) throws IOException {
        int chunk = data.consumeInt(1, 4096);
        int cap = data.consumeInt(1, 1 << 16);
        String body = data.consumeRemainingAsString();
        Container[] containers;
        try {
            containers = JSON.readValue(body, Container[].class);
        } catch (JacksonException notJson) {
            containers = new Container[0];
        }
        for (Container container : containers == null ? new Container[0] : containers) {
            if (container == null) {
                continue;
            }
            ContainerRecord record = ContainerRecord.of(String.valueOf(container.getId()),
                    ContainerRecord.firstName(container.getNames()),
                    container.getNetworkSettings() == null ? null : container.getNetworkSettings().getNetworks(),
                    List.of(), container.getLabels(), ContainerFacts.of(container.getState(),
                            ContainerFacts.healthInStatus(container.getStatus()), container.getLabels(), java.util.Set.of(), List.of()));
            for (InetAddress address : record.addresses()) {
                // A literal's InetAddress carries no name: "/172.17.0.2". A looked-up name would show "name/…".
                assertTrue(address.toString().startsWith("/"), address.toString());
                assertEquals(address, ClientAddresses.normalise(address), "an IPv4-mapped address kept its mapping");
            }
            for (Map.Entry<Integer, String> spec : record.backendSpecs().entrySet()) {
                assertTrue(spec.getKey() >= 1 && spec.getKey() <= 65535, record.toString());
                assertTrue(spec.getValue().length() <= ContainerText.MAX_SPEC_LENGTH + 1, "kept uncut");
            }
            ContainerText.printable(record.describe());
        }
        byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        AtomicInteger refusals = new AtomicInteger();
        InputStream capped = new DockerAnswerCap.CappedStream(new ByteArrayInputStream(bytes), cap, false, refusals::incrementAndGet);
        long read = 0;
        try {
            byte[] buffer = new byte[chunk];
            for (int n; (n = capped.read(buffer, 0, buffer.length)) > 0; ) {
                read += n;
            }
            assertTrue(bytes.length <= cap, bytes.length + " bytes passed a cap of " + cap);
            assertEquals(bytes.length, read);
        } catch (IOException refused) {
            assertTrue(bytes.length > cap, bytes.length + " bytes refused by a cap of " + cap);
            assertEquals(1, refusals.get());
        }
    }
}
