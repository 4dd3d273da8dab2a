package org.ambassadord.spi;

import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Services the host process offers to providers and their backends.
 *
 * <p>New capabilities arrive here as default methods, never as new abstract methods, so
 * that plugins compiled against an older SPI keep working.
 */
public interface ProviderContext {

    /**
     * Opens a nested spec through the same dispatcher as the command line, so that a backend
     * can delegate to any installed provider (omni mode opens a container's
     * {@code BACKEND_6379=etcd://…} this way). The caller closes the returned backend.
     * May block; never call it on an event loop thread.
     *
     * @throws BackendSpecException when no provider serves the spec or the spec is malformed
     */
    Backend open(String spec) throws BackendSpecException;

    /**
     * A shared scheduler for background work (re-resolving names, polling, retry with
     * backoff). Its threads are daemon threads and never event loop threads, so blocking I/O
     * is allowed there, but a task should not hold a thread for long: long-running loops
     * (watches, blocking queries) belong on the provider's own threads. Do not shut it down.
     */
    ScheduledExecutorService scheduler();

    /**
     * The process environment as the provider should see it: {@link System#getenv()} in
     * production, an injected map in tests (links mode reads Docker's link variables here,
     * the Consul provider its {@code CONSUL_HTTP_TOKEN}).
     */
    Map<String, String> environment();
}
