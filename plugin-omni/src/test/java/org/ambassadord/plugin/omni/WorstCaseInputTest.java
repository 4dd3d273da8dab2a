package org.ambassadord.plugin.omni;

import java.util.List;
import java.util.Map;

import org.ambassadord.spi.testkit.WorstCaseTexts;
import org.junit.jupiter.api.Test;

/** The omni spec and what a container writes are handled in linear time, a mebibyte of worst case each (issue 21). */
class WorstCaseInputTest {

    @Test
    void specsVariablesLabelsAndAddressesAreLinear() {
        WorstCaseTexts.assertLinear("OmniSpec.parse", "omni://?docker=", text -> OmniSpec.parse(text, Map.of()));
        WorstCaseTexts.assertLinear("OmniSpec.parse (parameters)", "omni://?", text -> OmniSpec.parse(text, Map.of()));
        WorstCaseTexts.assertLinear("ContainerRecord.backendSpecs (env)", "BACKEND_", text -> ContainerRecord.backendSpecs(
                List.of(text, "BACKEND_6379=" + text, text + "=x"), Map.of()));
        WorstCaseTexts.assertLinear("ContainerRecord.backendSpecs (labels)", "connect.", text -> ContainerRecord.backendSpecs(
                List.of(), Map.of(text, text, "connect.6379", text)));
        WorstCaseTexts.assertLinear("ClientAddresses.parseLiteral", "", ClientAddresses::parseLiteral);
        WorstCaseTexts.assertLinear("ContainerText.printable", "", ContainerText::printable);
    }
}
