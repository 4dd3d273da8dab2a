package org.ambassadord.core.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.ambassadord.core.admin.ObservedBackend;
import org.ambassadord.core.policy.PolicedBackend;
import org.ambassadord.core.policy.UpstreamPolicy;
import org.ambassadord.spi.Backend;
import org.ambassadord.spi.ClientConnection;
import org.junit.jupiter.api.Test;

/** The core's wrappers answer every question but {@code resolve} with the inner backend's answer. */
class ForwardingBackendTest {

    private static final InetSocketAddress HEAVY = new InetSocketAddress("127.0.0.1", 7001);
    private static final InetSocketAddress LIGHT = new InetSocketAddress("127.0.0.1", 7002);

    /** A default method the SPI gains must be forwarded, or wrapped backends lose what it says. */
    @Test
    void everyMethodOfTheSpiButResolveIsForwarded() {
        List<String> missing = new ArrayList<>();
        for (Method method : Backend.class.getMethods()) {
            if (Modifier.isStatic(method.getModifiers()) || method.getName().equals("resolve")) {
                continue;
            }
            try {
                ForwardingBackend.class.getDeclaredMethod(method.getName(), method.getParameterTypes());
            } catch (NoSuchMethodException e) {
                missing.add(method.getName());
            }
        }
        assertTrue(missing.isEmpty(), "ForwardingBackend leaves " + missing + " to the SPI's defaults");
    }

    @Test
    void weightsAndEndpointDescriptionsPassThroughTheAdminAndPolicyWrappers() {
        Backend weighted = new WeightedBackend();
        Backend wrapped = new ObservedBackend(new PolicedBackend(weighted,
                UpstreamPolicy.forOperator(List.of(), List.of()), () -> { }), "weighted://");
        assertEquals(3, wrapped.weightOf(HEAVY));
        assertEquals(1, wrapped.weightOf(LIGHT));
        assertEquals("heavy one", wrapped.describeEndpoint(HEAVY));
        assertEquals("", wrapped.describeEndpoint(LIGHT));
    }

    private static final class WeightedBackend implements Backend {
        @Override
        public CompletionStage<List<InetSocketAddress>> resolve(ClientConnection connection) {
            return CompletableFuture.completedFuture(List.of(HEAVY, LIGHT));
        }

        @Override
        public Set<Integer> listenPorts() {
            return Set.of(7000);
        }

        @Override
        public int weightOf(InetSocketAddress endpoint) {
            return endpoint.equals(HEAVY) ? 3 : 1;
        }

        @Override
        public String describeEndpoint(InetSocketAddress endpoint) {
            return endpoint.equals(HEAVY) ? "heavy one" : "";
        }

        @Override
        public void close() {
        }
    }
}
