package org.ambassadord.plugin.links;

import java.util.Map;

import org.ambassadord.spi.testkit.WorstCaseTexts;
import org.junit.jupiter.api.Test;

/** Link variables (names and values) parse a mebibyte of worst-case text in linear time (issue 21). */
class WorstCaseInputTest {

    @Test
    void linkVariablesAreLinear() {
        WorstCaseTexts.assertLinear("LinkVariables.parse (value)", "", text -> LinkVariables.parse(
                Map.of("DB_PORT_6379_TCP", text, "DB_NAME", "/web/db")));
        WorstCaseTexts.assertLinear("LinkVariables.parse (value after tcp://)", "tcp://", text -> LinkVariables.parse(
                Map.of("DB_PORT_6379_TCP", text, "DB_NAME", "/web/db")));
        WorstCaseTexts.assertLinear("LinkVariables.parse (name)", "", text -> LinkVariables.parse(
                Map.of(text + "_PORT_6379_TCP", "tcp://10.0.0.1:6379", text + "_PORT_", "x")));
        WorstCaseTexts.assertLinear("ApiLinks.ownContainerId", "", text -> ApiLinks.ownContainerId(Map.of("HOSTNAME", text)));
    }
}
