package org.ambassadord.core.tls;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.tinylog.Logger;

/**
 * Reloads certificates and keys when their files change, on a thread of its own. It watches
 * the folders that hold them, not the files: certbot swaps the links in {@code live/}, a
 * Kubernetes secret volume swaps its {@code ..data} link, and editors and {@code mv} replace
 * files — none of which a watch on the file itself would see. After an event the files are
 * read again once the folder has been quiet for {@link #SETTLE}; a pair that does not load yet
 * (the certificate renamed into place, its key not yet) is tried again until {@link #PATIENCE}
 * has passed, and only then counts as a failed reload. The old certificate serves throughout.
 */
public final class TlsFileWatcher implements AutoCloseable {

    static final Duration SETTLE = Duration.ofMillis(100);
    static final Duration PATIENCE = Duration.ofSeconds(5);
    private static final Duration RETRY = Duration.ofMillis(250);

    private final WatchService watcher;
    private final List<ReloadableTlsFiles> watched;
    private final Map<WatchKey, Path> folders = new HashMap<>();
    private final Thread thread;
    private final LongAdder reloads = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private volatile boolean closed;

    private TlsFileWatcher(WatchService watcher, List<ReloadableTlsFiles> watched) {
        this.watcher = watcher;
        this.watched = List.copyOf(watched);
        this.thread = new Thread(this::run, "tls-reload");
        this.thread.setDaemon(true);
    }

    /** Watches the folders of every file of {@code watched} and starts the thread. */
    public static TlsFileWatcher start(List<ReloadableTlsFiles> watched) throws IOException {
        TlsFileWatcher tlsWatcher = new TlsFileWatcher(FileSystems.getDefault().newWatchService(), watched);
        Set<Path> seen = new HashSet<>();
        for (ReloadableTlsFiles files : watched) {
            for (Path file : files.files()) {
                Path folder = file.toAbsolutePath().getParent();
                if (seen.add(folder)) {
                    tlsWatcher.folders.put(folder.register(tlsWatcher.watcher, StandardWatchEventKinds.ENTRY_CREATE,
                            StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE), folder);
                }
            }
        }
        tlsWatcher.thread.start();
        return tlsWatcher;
    }

    /** Reloads that swapped new files in. */
    public long reloads() {
        return reloads.sum();
    }

    /** Changes that did not load within {@link #PATIENCE}; the old files kept serving. */
    public long failures() {
        return failures.sum();
    }

    private void run() {
        long changedAt = 0;
        long firstChangeAt = 0;
        boolean pending = false;
        try {
            while (!closed) {
                WatchKey key = watcher.poll(pending ? RETRY.toMillis() : 1000, TimeUnit.MILLISECONDS);
                long now = System.nanoTime();
                if (key != null) {
                    key.pollEvents();
                    key.reset();
                    if (!pending) {
                        firstChangeAt = now;
                    }
                    pending = true;
                    changedAt = now;
                    continue;
                }
                if (pending && now - changedAt >= SETTLE.toNanos()) {
                    pending = !reloadAll(now - firstChangeAt >= PATIENCE.toNanos());
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closing
        }
    }

    /** @return true when every file set loaded (or was unchanged), or patience ran out */
    private boolean reloadAll(boolean outOfPatience) {
        List<ReloadableTlsFiles> failing = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (ReloadableTlsFiles files : watched) {
            try {
                if (files.reload() == ReloadableTlsFiles.Outcome.RELOADED) {
                    reloads.increment();
                    files.countReload();
                    Logger.info("TLS: reloaded {}; new handshakes use it (valid until {})", files.describe(), files.notAfter());
                }
            } catch (TlsFileException e) {
                failing.add(files);
                problems.add(e.getMessage());
            }
        }
        if (problems.isEmpty()) {
            return true;
        }
        if (!outOfPatience) {
            return false;
        }
        failing.forEach(ReloadableTlsFiles::countFailure);
        for (String problem : problems) {
            failures.increment();
            Logger.warn("TLS: a changed file did not load within {} s, the previous one still serves: {}",
                    PATIENCE.toSeconds(), problem);
        }
        return true;
    }

    @Override
    public void close() {
        closed = true;
        try {
            watcher.close();
        } catch (IOException e) {
            Logger.debug("closing the TLS file watch: {}", e.getMessage());
        }
        thread.interrupt();
    }
}
