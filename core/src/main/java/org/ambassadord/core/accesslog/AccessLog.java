package org.ambassadord.core.accesslog;

/**
 * Where the relay reports each closed connection. {@link #OFF} costs nothing: the relay asks
 * {@link #enabled()} before it builds a record.
 */
public interface AccessLog extends AutoCloseable {

    /** No access log (the default). */
    AccessLog OFF = new AccessLog() {
        @Override
        public boolean enabled() {
            return false;
        }

        @Override
        public void record(AccessRecord record) {
        }

        @Override
        public long dropped() {
            return 0;
        }

        @Override
        public void close() {
        }
    };

    boolean enabled();

    /** Hands a record over without blocking; an event loop calls it. */
    void record(AccessRecord record);

    /** Records dropped because the writer fell behind. */
    long dropped();

    @Override
    void close();
}
