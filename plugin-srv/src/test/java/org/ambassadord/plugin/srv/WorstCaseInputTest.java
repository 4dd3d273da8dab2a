package org.ambassadord.plugin.srv;

import org.ambassadord.spi.testkit.WorstCaseTexts;
import org.junit.jupiter.api.Test;

/** SRV specs parse a mebibyte of worst-case text in linear time (issue 21). */
class WorstCaseInputTest {

    @Test
    void srvSpecsAreLinear() {
        WorstCaseTexts.assertLinear("SrvSpecParser.parse", "srv://", SrvSpecParser::parse);
        WorstCaseTexts.assertLinear("SrvSpecParser.parse (options)", "srv://_a._tcp.test?dns=", SrvSpecParser::parse);
        WorstCaseTexts.assertLinear("SrvSpecParser.isSchemelessSrvName", "", SrvSpecParser::isSchemelessSrvName);
    }
}
