package org.ambassadord.core.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.ambassadord.spi.Backend;
import org.ambassadord.spi.ClientConnection;
import org.junit.jupiter.api.Test;

class ObservedBackendTest {

    /** A refusal answered at once (omni: "defines no backend") stays a failed answer, never an exception. */
    @Test
    void aRefusalAnsweredAtOnceIsRecordedAndPassedOnNotThrown() {
        Backend refusing = new Backend() {
            @Override
            public CompletionStage<List<InetSocketAddress>> resolve(ClientConnection connection) {
                return CompletableFuture.failedFuture(new IllegalStateException("defines no backend for port [7777]"));
            }

            @Override
            public Set<Integer> listenPorts() {
                return Set.of(10000);
            }

            @Override
            public void close() {
            }
        };
        ObservedBackend observed = new ObservedBackend(refusing, "omni://");
        InetSocketAddress local = new InetSocketAddress(InetAddress.getLoopbackAddress(), 10000);
        CompletableFuture<List<InetSocketAddress>> answer = observed.resolve(ClientConnection.of(local, local))
                .toCompletableFuture();
        assertTrue(answer.isCompletedExceptionally());
        assertEquals(1, observed.errors());
        assertTrue(observed.failure().toString().contains("defines no backend"), String.valueOf(observed.failure()));
    }
}
