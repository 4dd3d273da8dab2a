package org.ambassadord.core.logging;

import java.net.InetAddress;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import org.tinylog.Logger;

/**
 * The WARN lines for refused and failed connections, rate-limited so that one client in a loop
 * cannot flood the log (tinylog's writer queue has no bound): per client address and reason,
 * the first occurrence is logged, the rest of a {@value #WINDOW_SECONDS}-second window only
 * counted, and the window ends with one summary line, {@code … and 532 more like it in the
 * last 10 s}. Reasons are escaped ({@link LogText}): they carry container-supplied text.
 *
 * <p>Called on event loop threads: no I/O here (tinylog's writing thread does it), one map
 * look-up and, while suppressed, a counter increment. At most {@value #MAX_KEYS} distinct
 * client/reason pairs are tracked; beyond that they share one bucket.
 */
public final class RefusalLog {

    static final long WINDOW_SECONDS = 10;
    static final int MAX_KEYS = 1024;
    private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(WINDOW_SECONDS);

    private record Key(InetAddress client, String what) {
    }

    /** One client/reason pair's window. Guarded by itself. */
    private static final class Window {
        final String line;
        long startNanos;
        long suppressed;
        boolean swept;

        Window(String line, long startNanos) {
            this.line = line;
            this.startNanos = startNanos;
        }
    }

    private static final Key OVERFLOW = new Key(null, "refusals of other clients and reasons (too many to track apart)");

    private final Map<Key, Window> windows = new ConcurrentHashMap<>();
    private final LongAdder logged = new LongAdder();
    private final LongAdder suppressed = new LongAdder();
    private final Clock clock;

    /** Reads the time; a seam for tests only through the package-private constructor. */
    interface Clock {
        long nanoTime();
    }

    /** A log whose summaries are written when the next refusal after a window arrives. */
    public RefusalLog() {
        this(System::nanoTime);
    }

    RefusalLog(Clock clock) {
        this.clock = clock;
    }

    /** Also writes each window's summary once it is over, from the scheduler. */
    public RefusalLog sweptBy(ScheduledExecutorService scheduler) {
        scheduler.scheduleWithFixedDelay(this::sweep, WINDOW_SECONDS, WINDOW_SECONDS, TimeUnit.SECONDS);
        return this;
    }

    /**
     * A connection was refused or failed.
     *
     * @param verb          {@code refused} (no endpoint for it) or {@code failed} (none accepted)
     * @param clientAddress the client's address, which windows are kept per
     * @param from          the client as the line shows it
     * @param to            the local end as the line shows it
     * @param reason        why, as the backend or relay said it (untrusted text)
     */
    public void report(String verb, InetAddress clientAddress, String from, String to, String reason) {
        report(verb, clientAddress, () -> from, () -> to, reason);
    }

    /**
     * As {@link #report(String, InetAddress, String, String, String)}, the two ends formatted only
     * when a line is written: a flood of refusals mostly lands in a window, and costs a map
     * look-up then.
     */
    public void report(String verb, InetAddress clientAddress, Supplier<String> from, Supplier<String> to, String reason) {
        String what = verb + " " + LogText.escape(reason);
        Key key = new Key(clientAddress, what);
        long now = clock.nanoTime();
        while (true) {
            Window window = windows.get(key);
            if (window == null) {
                if (windows.size() >= MAX_KEYS) {
                    key = OVERFLOW;
                    window = windows.get(key);
                }
                if (window == null) {
                    Window fresh = new Window(verb + " " + from.get() + " -> " + to.get() + ": "
                            + (key == OVERFLOW ? OVERFLOW.what() : LogText.escape(reason)), now);
                    if (windows.putIfAbsent(key, fresh) == null) {
                        write(fresh.line);
                        return;
                    }
                    continue;
                }
            }
            synchronized (window) {
                if (window.swept) {
                    continue;
                }
                if (now - window.startNanos < WINDOW_NANOS) {
                    window.suppressed++;
                    suppressed.increment();
                    return;
                }
                summarise(window);
                window.startNanos = now;
                window.suppressed = 0;
                write(window.line);
                return;
            }
        }
    }

    /** Ends every window that is over: its summary, if anything was suppressed, and its entry. */
    void sweep() {
        long now = clock.nanoTime();
        for (Iterator<Window> it = windows.values().iterator(); it.hasNext(); ) {
            Window window = it.next();
            synchronized (window) {
                if (now - window.startNanos >= WINDOW_NANOS) {
                    summarise(window);
                    window.swept = true;
                    it.remove();
                }
            }
        }
    }

    private void summarise(Window window) {
        if (window.suppressed > 0) {
            Logger.warn("{} … and {} more like it in the last {} s", window.line, window.suppressed, WINDOW_SECONDS);
        }
    }

    private void write(String line) {
        logged.increment();
        Logger.warn("{}", line);
    }

    /** Lines written for a first occurrence. */
    public long logged() {
        return logged.sum();
    }

    /** Occurrences only counted, not written: the rate limiter's savings. */
    public long suppressed() {
        return suppressed.sum();
    }
}
