package org.ambassadord.plugin.srv;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.ambassadord.spi.BackendSpecException;

/**
 * SRV specs ({@code srv://name?dns=server}, or a bare name) come from the command line and
 * from containers in omni mode: they parse to a DNS name of at most 253 characters or are
 * refused with {@link BackendSpecException}.
 */
class SrvSpecFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void parsesOrRefuses(FuzzedDataProvider data) {
        String spec = data.consumeRemainingAsString();
        try {
            SrvSpec parsed = SrvSpecParser.parse(spec);
            assertFalse(parsed.name().isEmpty(), spec);
            assertTrue(parsed.name().length() <= 254, spec);
        } catch (BackendSpecException refused) {
            assertNotNull(refused.getMessage());
        }
    }
}
