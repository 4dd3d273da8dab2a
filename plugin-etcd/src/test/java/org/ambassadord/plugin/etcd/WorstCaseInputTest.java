package org.ambassadord.plugin.etcd;

import java.io.IOException;
import java.util.List;

import org.ambassadord.spi.testkit.WorstCaseTexts;
import org.junit.jupiter.api.Test;

/** etcd specs, stored values and server messages are handled in linear time, a mebibyte of worst case each (issue 21). */
class WorstCaseInputTest {

    @Test
    void specsValuesAndMessagesAreLinear() {
        WorstCaseTexts.assertLinear("EtcdSpecParser.parse", "etcd://", EtcdSpecParser::parse);
        WorstCaseTexts.assertLinear("EtcdSpecParser.parse (path)", "etcd://127.0.0.1:2379/", EtcdSpecParser::parse);
        WorstCaseTexts.assertLinear("EndpointParser.parse", "", EndpointParser::parse);
        WorstCaseTexts.assertLinear("BackendResolver.addressesOf", "", text -> new BackendResolver("/app", host -> {
            throw new java.net.UnknownHostException(host);
        }).addressesOf(List.of(new NodeSnapshot.Node("/app/a", text.substring(0, Math.min(text.length(),
                BackendResolver.MAX_VALUE_CHARS)), 1))));
        WorstCaseTexts.assertLinear("EtcdErrors.describe", "", text -> EtcdErrors.describe(new IOException(text)));
    }
}
