package org.ambassadord.plugin.iptables;

import org.ambassadord.spi.testkit.WorstCaseTexts;
import org.junit.jupiter.api.Test;

/** iptables-save output is parsed in linear time, a mebibyte of worst case (issue 21). */
class WorstCaseInputTest {

    @Test
    void saveOutputIsLinear() {
        WorstCaseTexts.assertLinear("NatTableState.parse", "", NatTableState::parse);
        WorstCaseTexts.assertLinear("NatTableState.parse (rule)", "*nat\n-A AMBASSADORD ", NatTableState::parse);
    }
}
