package org.ambassadord.plugin.omni;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.ambassadord.spi.Backend;
import org.ambassadord.spi.BackendSpecException;
import org.ambassadord.spi.ProviderContext;
import org.tinylog.Logger;

/**
 * The backends opened for the specs containers name, one per distinct spec string: two
 * containers with {@code BACKEND_6379=redis.service.consul} share one SRV backend and its
 * cache.
 *
 * <p>Every spec is opened through {@link ProviderContext#forContainer} of the container that
 * first needed it, never with the operator's context: the host's policy for
 * container-chosen specs (schemes, upstream addresses, caps, credentials) applies. Containers
 * sharing a spec share that policy, which is the same for all of them.
 *
 * <p>A spec is opened when a connection first needs it, on this registry's own daemon
 * thread, because {@link ProviderContext#open} may block. It is closed when no running
 * container names it any more ({@link #retainOnly}). A spec that fails to open stays failed
 * (the message is the refusal reason) until its containers are gone; an unexpected
 * exception is not kept, so the next connection tries again.
 */
final class NestedBackends implements AutoCloseable {

    private final ProviderContext context;
    private final Map<String, CompletableFuture<Backend>> bySpec = new ConcurrentHashMap<>();
    private final ExecutorService opener = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "omni-open-backend");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean closed;

    NestedBackends(ProviderContext context) {
        this.context = context;
    }

    /**
     * The backend for a spec, opening it in the background the first time on behalf of the
     * container. Any thread; does not block.
     */
    CompletableFuture<Backend> backendFor(String spec, ContainerRecord container) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("omni backend is closed"));
        }
        return bySpec.computeIfAbsent(spec, ignored -> open(spec, container));
    }

    private CompletableFuture<Backend> open(String spec, ContainerRecord container) {
        CompletableFuture<Backend> future = new CompletableFuture<>();
        opener.execute(() -> {
            try {
                Backend backend = context.forContainer(container.id(), container.name()).open(spec);
                Logger.info("omni: opened backend [{}] for container [{}]", ContainerText.printable(spec),
                        ContainerText.printable(container.describe()));
                future.complete(backend);
            } catch (BackendSpecException e) {
                future.completeExceptionally(e);
            } catch (RuntimeException | LinkageError e) {
                // Not kept: a cap that was full or a passing failure may clear by the next try.
                bySpec.remove(spec, future);
                future.completeExceptionally(e);
            }
        });
        return future;
    }

    /** Closes the backends of specs no running container names. Any thread. */
    void retainOnly(Set<String> specsInUse) {
        for (Map.Entry<String, CompletableFuture<Backend>> entry : bySpec.entrySet()) {
            if (!specsInUse.contains(entry.getKey()) && bySpec.remove(entry.getKey(), entry.getValue())) {
                Logger.info("omni: closing backend [{}], no running container names it",
                        ContainerText.printable(entry.getKey()));
                // Closes it once it is open, if it is still opening.
                entry.getValue().thenAccept(Backend::close);
            }
        }
    }

    /** The specs currently open or opening; for tests and diagnostics. */
    Set<String> specs() {
        return Set.copyOf(bySpec.keySet());
    }

    /**
     * Closes every nested backend, each on a thread of its own so that slow ones (a Consul
     * query being aborted, a jetcd channel shutting down) close in parallel; returns without
     * waiting for them.
     */
    @Override
    public void close() {
        closed = true;
        for (Map.Entry<String, CompletableFuture<Backend>> entry : bySpec.entrySet()) {
            if (bySpec.remove(entry.getKey(), entry.getValue())) {
                entry.getValue().thenAccept(backend -> {
                    Thread closer = new Thread(backend::close, "omni-close-backend");
                    closer.setDaemon(true);
                    closer.start();
                });
            }
        }
        opener.shutdown();
    }
}
