package org.ambassadord.plugin.consul;

import java.util.List;

import com.ecwid.consul.v1.OperationException;
import org.ambassadord.spi.testkit.WorstCaseTexts;
import org.junit.jupiter.api.Test;

/** Consul specs, keys, stored values and error bodies are handled in linear time, a mebibyte of worst case each (issue 21). */
class WorstCaseInputTest {

    @Test
    void specsKeysValuesAndErrorsAreLinear() {
        WorstCaseTexts.assertLinear("ConsulSpec.parse", "consul://", ConsulSpec::parse);
        WorstCaseTexts.assertLinear("ConsulSpec.parse (options)", "consul://127.0.0.1:8500/app?", ConsulSpec::parse);
        WorstCaseTexts.assertLinear("HostPort.parse", "", HostPort::parse);
        WorstCaseTexts.assertLinear("KeyPaths.decode", "", KeyPaths::decode);
        WorstCaseTexts.assertLinear("KeyPaths.encode", "", KeyPaths::encode);
        WorstCaseTexts.assertLinear("BackendValues.select", "", text -> BackendValues.select("app",
                List.of(new KvPair("app/" + text, text), new KvPair(text, "x"))));
        WorstCaseTexts.assertLinear("EndpointResolver.resolve", "", text -> new EndpointResolver(host -> {
            throw new java.net.UnknownHostException(host);
        }).resolve(BackendValues.select("app", List.of(new KvPair("app/a", text.substring(0, Math.min(text.length(),
                ConsulKvReader.MAX_ENCODED_VALUE)))))));
        WorstCaseTexts.assertLinear("ServiceSpec.parse", "consul-service://", ServiceSpec::parse);
        WorstCaseTexts.assertLinear("ServiceSpec.parse (options)", "consul-service://127.0.0.1/web?", ServiceSpec::parse);
        WorstCaseTexts.assertLinear("HealthAnswer.parse", "", HealthAnswer::parse);
        WorstCaseTexts.assertLinear("HealthAnswer.parse (an instance)", "[{\"Service\":{\"Address\":\"", HealthAnswer::parse);
        WorstCaseTexts.assertLinear("KvWatcher.describe", "", text -> KvWatcher.describe(new OperationException(500, text, text)));
    }
}
