package org.ambassadord.core.policy;

import java.util.List;
import java.util.Set;

import org.ambassadord.core.dispatch.BackendDispatcher;
import org.ambassadord.core.logging.LogText;
import org.ambassadord.spi.testkit.WorstCaseTexts;
import org.junit.jupiter.api.Test;

/**
 * The core's parsers of outside text — a spec's scheme, the policy options, credential hosts
 * matched against a container's spec, the log escaper — finish a
 * mebibyte of worst-case input in linear time (issue 21).
 */
class WorstCaseInputTest {

    @Test
    void schemesPoliciesEscapingAndAccessLinesAreLinear() throws Exception {
        WorstCaseTexts.assertLinear("BackendDispatcher.schemeOf", "", BackendDispatcher::schemeOf);
        WorstCaseTexts.assertLinear("UpstreamRule.parseList", "", text -> UpstreamRule.parseList("--deny-upstream", text));
        WorstCaseTexts.assertLinear("AddressBlock.parse", "", AddressBlock::parse);
        WorstCaseTexts.assertLinear("ContainerSpecPolicy.parseSchemes", "", text -> ContainerSpecPolicy.parseSchemes(List.of(text)));
        ContainerSpecPolicy policy = new ContainerSpecPolicy(Set.of("static"), UpstreamPolicy.forOperator(List.of(), List.of()),
                List.of("consul.internal:8500", "[fd00::7]:8501", "a".repeat(1000) + ":" + "1".repeat(1000)), 8, 8);
        WorstCaseTexts.assertLinear("ContainerSpecPolicy.isCredentialHost", "", text -> policy.isCredentialHost(text, 8500));
        ContainerSpecPolicy hostile = new ContainerSpecPolicy(Set.of("static"), UpstreamPolicy.forOperator(List.of(), List.of()),
                List.of(WorstCaseTexts.all().get(1), WorstCaseTexts.all().get(3)), 8, 8);
        WorstCaseTexts.assertLinear("ContainerSpecPolicy.isCredentialHost (entries)", "", text -> hostile.isCredentialHost(text, 1));
        WorstCaseTexts.assertLinear("LogText.escape", "", LogText::escape);
        WorstCaseTexts.assertLinear("LogText.withoutControls", "", LogText::withoutControls);
        WorstCaseTexts.assertLinear("LogText.joinLines", "", text -> LogText.joinLines(text, " "));
    }
}
