package org.ambassadord.spi;

import org.ambassadord.spi.testkit.WorstCaseTexts;
import org.junit.jupiter.api.Test;

/** The SPI's parsers of outside text finish a mebibyte of worst-case input in linear time (issue 21). */
class WorstCaseInputTest {

    @Test
    void ipLiteralsAndTheEscaperAreLinear() {
        WorstCaseTexts.assertLinear("ProviderContext.ipLiteral", "", ProviderContext::ipLiteral);
        WorstCaseTexts.assertLinear("ProviderContext.ipLiteral (v6)", "fe80::", ProviderContext::ipLiteral);
        WorstCaseTexts.assertLinear("ProviderContext.printable", "", ProviderContext::printable);
    }
}
