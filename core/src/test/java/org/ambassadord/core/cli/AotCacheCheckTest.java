package org.ambassadord.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class AotCacheCheckTest {

    @Test
    void silentWithoutACache() {
        assertEquals(Optional.empty(), AotCacheCheck.warning(null, "mixed mode"));
    }

    @Test
    void silentWhileTheCacheIsMapped() {
        assertEquals(Optional.empty(), AotCacheCheck.warning("/image/lib/server/ambassadord.aot", "mixed mode, sharing"));
    }

    @Test
    void namesARejectedCache() {
        Optional<String> warning = AotCacheCheck.warning("/image/lib/server/ambassadord.aot", "mixed mode");
        assertTrue(warning.orElseThrow().startsWith("AOT cache [/image/lib/server/ambassadord.aot] not used"), warning.get());
    }
}
