package org.ambassadord.core.accesslog;

import java.io.BufferedWriter;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.tinylog.Logger;

/**
 * The access log: event loops {@linkplain #record offer} records to a bounded queue and never
 * wait; one writer thread formats and writes them. When the writer falls behind (a slow disk,
 * a pipe nobody reads) records are dropped and counted instead of blocking the relay or
 * growing memory. The file is opened on the writer thread too: opening a FIFO blocks until a
 * reader comes.
 */
public final class QueuedAccessLog implements AccessLog {

    /** Records waiting for the writer at most; about 2 MB. */
    static final int CAPACITY = 8192;

    private final BlockingQueue<AccessRecord> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final LongAdder dropped = new LongAdder();
    private final LongAdder written = new LongAdder();
    private final AccessFormat format;
    private final String spec;
    private final Destination destination;
    private final Thread writer;
    private volatile boolean closed;

    /** Opens the stream to write to; called on the writer thread. */
    public interface Destination {
        OutputStream open() throws IOException;

        static Destination file(Path path) {
            return () -> new FileOutputStream(path.toFile(), true);
        }

        static Destination stdout() {
            return () -> new java.io.FilterOutputStream(System.out) {
                @Override
                public void close() throws IOException {
                    flush();
                }
            };
        }
    }

    /**
     * Starts the writer thread.
     *
     * @param spec        the backend spec as configured, written on every line
     * @param description the destination, for the error message if writing fails
     */
    public QueuedAccessLog(AccessFormat format, String spec, Destination destination, String description) {
        this.format = format;
        this.spec = spec;
        this.destination = destination;
        this.writer = new Thread(() -> run(description), "access-log");
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public void record(AccessRecord record) {
        if (!queue.offer(record)) {
            dropped.increment();
        }
    }

    @Override
    public long dropped() {
        return dropped.sum();
    }

    /** Records written so far; for tests and metrics. */
    public long written() {
        return written.sum();
    }

    private void run(String description) {
        try (Writer out = new BufferedWriter(new OutputStreamWriter(destination.open(), StandardCharsets.UTF_8))) {
            while (!closed || !queue.isEmpty()) {
                AccessRecord record = queue.poll(200, TimeUnit.MILLISECONDS);
                if (record == null) {
                    continue;
                }
                format.write(record, spec, out);
                written.increment();
                if (queue.isEmpty()) {
                    out.flush();
                }
            }
        } catch (IOException e) {
            Logger.error("access log [{}] failed: {}; no more lines are written", description, e.getMessage());
            closed = true;
            queue.clear();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Writes what is queued (waiting at most 2 s), then stops. */
    @Override
    public void close() {
        closed = true;
        try {
            writer.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writer.interrupt();
    }
}
