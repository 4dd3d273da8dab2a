package org.ambassadord.plugin.consul;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.Test;

/**
 * The plugin runs as a named module whose dependencies resolve on the module path, and
 * httpclient's logging reaches tinylog.
 */
class ModuleWiringTest {

    private final Module module = ConsulBackendProvider.class.getModule();

    @Test
    void isANamedModuleThatProvidesOnlyItsTwoBackendProviders() {
        assertTrue(module.isNamed(), "tests must run on the module path");
        ModuleDescriptor descriptor = module.getDescriptor();
        assertEquals("org.ambassadord.plugin.consul", descriptor.name());
        assertFalse(descriptor.isAutomatic());
        assertEquals(Set.of("org.ambassadord.spi.BackendProvider"),
                descriptor.provides().stream().map(ModuleDescriptor.Provides::service).collect(Collectors.toSet()));
        assertEquals(Set.of("org.ambassadord.plugin.consul.ConsulBackendProvider",
                        "org.ambassadord.plugin.consul.ConsulServiceProvider"),
                descriptor.provides().stream().flatMap(p -> p.providers().stream()).collect(Collectors.toSet()));
        assertTrue(descriptor.exports().isEmpty(), "the implementation package stays unexported");
    }

    @Test
    void consulApiAndItsDependenciesAreModulesOfTheLayer() {
        ModuleLayer layer = module.getLayer();
        for (String name : Set.of("consul.api", "org.apache.httpcomponents.httpclient",
                "org.apache.httpcomponents.httpcore", "com.google.gson", "org.apache.commons.codec",
                "org.apache.commons.logging", "org.slf4j", "org.tinylog.api.slf4j")) {
            assertTrue(layer.findModule(name).isPresent(), "module [" + name + "] is not resolved");
        }
        assertTrue(layer.findModule("commons.logging").isEmpty(), "the real commons-logging must be excluded");
    }

    @Test
    void commonsLoggingGoesThroughSlf4jToTinylog() throws ReflectiveOperationException {
        assertEquals("org.apache.commons.logging", LogFactory.class.getModule().getName());
        assertEquals("org.apache.commons.logging.impl.SLF4JLogFactory", LogFactory.getFactory().getClass().getName());
        // This module does not read org.slf4j (only the bridge does); reflection may.
        Object slf4jLogger = Class.forName("org.slf4j.LoggerFactory", true, LogFactory.class.getClassLoader())
                .getMethod("getLogger", String.class).invoke(null, "org.apache.http.wire");
        assertTrue(slf4jLogger.getClass().getName().startsWith("org.tinylog.slf4j."),
                "slf4j is bound to " + slf4jLogger.getClass().getName() + ", not tinylog");
    }
}
