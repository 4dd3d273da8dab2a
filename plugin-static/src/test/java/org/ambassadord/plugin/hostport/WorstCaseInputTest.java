package org.ambassadord.plugin.hostport;

import org.ambassadord.spi.testkit.WorstCaseTexts;
import org.junit.jupiter.api.Test;

/** Static specs (also a container's {@code BACKEND_<port>}) parse a mebibyte of worst-case text in linear time (issue 21). */
class WorstCaseInputTest {

    @Test
    void staticSpecsAreLinear() {
        WorstCaseTexts.assertLinear("StaticSpecParser.parse", "", StaticSpecParser::parse);
        WorstCaseTexts.assertLinear("StaticSpecParser.parse (bracketed)", "[", StaticSpecParser::parse);
        WorstCaseTexts.assertLinear("StaticSpecParser.parse (list)", "10.0.0.1:80,", StaticSpecParser::parse);
        WorstCaseTexts.assertLinear("StaticSpecParser.looksStatic", "", StaticSpecParser::looksStatic);
    }
}
