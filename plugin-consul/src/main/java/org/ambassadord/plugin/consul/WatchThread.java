package org.ambassadord.plugin.consul;

/**
 * The daemon thread a Consul backend's blocking-query loop runs on, and the order in which a
 * backend stops: end the loop, close the reader (which aborts a query that may block for
 * minutes), interrupt a backoff sleep, fail waiting connections, and wait briefly for the thread.
 * The shared scheduler is never lent for this: a blocking query holds its thread for minutes.
 */
final class WatchThread {

    private final BlockingQueryLoop<?> loop;
    private final AutoCloseable reader;
    private final EndpointCache cache;
    private final Thread thread;
    private boolean closed;

    /** Starts the loop at once on a thread of the given name. */
    WatchThread(String name, BlockingQueryLoop<?> loop, AutoCloseable reader, EndpointCache cache) {
        this.loop = loop;
        this.reader = reader;
        this.cache = cache;
        this.thread = new Thread(loop, name);
        thread.setDaemon(true);
        // Libraries that look resources up through the context loader must see this plugin's
        // layer, not the loader of whichever thread opened the backend.
        thread.setContextClassLoader(WatchThread.class.getClassLoader());
        thread.start();
    }

    /** The thread, so that tests can check it ends. */
    Thread thread() {
        return thread;
    }

    /** Stops everything; idempotent, any thread but an event loop. */
    void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        loop.stop();
        try {
            reader.close();
        } catch (Exception e) {
            org.tinylog.Logger.debug("closing a Consul reader: {}", e.toString());
        }
        thread.interrupt();
        cache.close();
        try {
            // A short wait so that the thread is gone when close() returns in the normal case;
            // closing the reader has already aborted its query.
            thread.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
