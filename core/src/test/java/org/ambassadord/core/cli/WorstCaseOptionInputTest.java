package org.ambassadord.core.cli;

import org.ambassadord.spi.testkit.WorstCaseTexts;
import org.junit.jupiter.api.Test;

/** Option values (from the command line or the environment) parse a mebibyte of worst-case text in linear time (issue 21). */
class WorstCaseOptionInputTest {

    @Test
    void optionValuesAreLinear() {
        WorstCaseTexts.assertLinear("AdminAddress.parse", "", AdminAddress::parse);
        WorstCaseTexts.assertLinear("DurationConverter", "", new DurationConverter("--drain-timeout")::convert);
        WorstCaseTexts.assertLinear("PortConverter", "", new PortConverter("--port")::convert);
    }
}
