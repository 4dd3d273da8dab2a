package org.ambassadord.core.tls;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that run the engines' delegated tasks — signatures, key exchange, certificate
 * checks: the slow part of a handshake — so that no event loop does. One per core, daemon,
 * gone when idle. The queue is bounded by the connections, which {@code --max-connections}
 * bounds: each handshake has at most one batch of tasks queued.
 */
final class HandshakeTasks implements AutoCloseable {

    private final ExecutorService pool;

    HandshakeTasks(String name) {
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), runnable -> {
                    Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        executor.allowCoreThreadTimeOut(true);
        this.pool = executor;
    }

    Executor executor() {
        return pool;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
