package org.ambassadord.plugin.consul;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class KeyPathsTest {

    @Test
    void encodesEverythingButUnreservedAndSlash() {
        assertEquals("app/redis-1/nodes_a.b~c", KeyPaths.encode("app/redis-1/nodes_a.b~c"));
        assertEquals("a%20b/c%3Fd%23e%25f%2Bg", KeyPaths.encode("a b/c?d#e%f+g"));
        assertEquals("%E2%9C%93", KeyPaths.encode("\u2713"));
    }

    @Test
    void decodesPercentEscapesAsUtf8AndKeepsPlus() {
        assertEquals("a b/c?d+e", KeyPaths.decode("a%20b/c%3fd+e"));
        assertEquals("\u2713 \uD83D\uDE00", KeyPaths.decode("%E2%9C%93 \uD83D\uDE00"));
        assertEquals("a b/c?d#e%f+g", KeyPaths.decode(KeyPaths.encode("a b/c?d#e%f+g")));
    }

    @Test
    void refusesBrokenEscapes() {
        assertThrows(IllegalArgumentException.class, () -> KeyPaths.decode("a%2"));
        assertThrows(IllegalArgumentException.class, () -> KeyPaths.decode("a%zz"));
        assertThrows(IllegalArgumentException.class, () -> KeyPaths.decode("%FF"));
    }
}
