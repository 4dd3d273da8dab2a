package org.ambassadord.plugin.omni;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.github.dockerjava.api.DockerClient;
import org.ambassadord.spi.BackendSpecException;
import org.tinylog.Logger;

/**
 * One Docker engine followed once, whoever needs it: omni mode and every {@code docker://}
 * spec naming the same engine share its client, its container directory and its one events
 * stream. Acquired per backend and released when the backend closes; the last release
 * stops following.
 */
public final class EngineWatch {

    private static final Map<String, EngineWatch> BY_ENGINE = new HashMap<>();

    private final String key;
    private final DockerClient docker;
    private final ContainerDirectory directory = new ContainerDirectory();
    private final DockerEventsFollower follower;
    private final LookupCounters counters = new LookupCounters();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private int users;

    private EngineWatch(String key, OmniSpec spec) throws BackendSpecException {
        this.key = key;
        this.docker = DockerClients.create(spec, counters::answerRefused);
        this.follower = new DockerEventsFollower(docker, directory, () -> listeners.forEach(Runnable::run), key);
    }

    /** The watch of the engine {@code spec} names, started by its first user. */
    public static EngineWatch acquire(OmniSpec spec) throws BackendSpecException {
        String key = spec.dockerHost().toString();
        synchronized (BY_ENGINE) {
            EngineWatch watch = BY_ENGINE.get(key);
            if (watch == null) {
                watch = new EngineWatch(key, spec);
                BY_ENGINE.put(key, watch);
                watch.follower.start();
                Logger.info("docker: following Docker engine at [{}]", key);
            }
            watch.users++;
            return watch;
        }
    }

    /** Runs {@code listener} on the follower thread after each change of the directory. */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    /** A user is done: its listener goes, and the last user stops the follower. */
    public void release(Runnable listener) {
        listeners.remove(listener);
        synchronized (BY_ENGINE) {
            if (--users > 0) {
                return;
            }
            BY_ENGINE.remove(key, this);
        }
        follower.close();
        try {
            docker.close();
        } catch (Exception e) {
            Logger.debug("docker: closing the Docker client: {}", e.toString());
        }
    }

    /** The engine's client, for calls of a user's own (Swarm tasks); shared, never closed by a user. */
    public DockerClient client() {
        return docker;
    }

    public ContainerDirectory directory() {
        return directory;
    }

    DockerEventsFollower follower() {
        return follower;
    }

    /** Whether the directory is current: listed since the stream (re)opened, every event applied. */
    public boolean isCurrent() {
        return follower.isCurrent();
    }

    /** Completes once the directory is current (at once when it is); on the follower thread. */
    public java.util.concurrent.CompletableFuture<Void> whenCurrent() {
        return follower.whenCurrent();
    }

    /** Whether the engine has been listed at least once. */
    public boolean listedOnce() {
        return follower.syncCount() > 0;
    }

    /** Why the engine is or is not followed, for messages. */
    public String state() {
        return follower.state();
    }

    LookupCounters counters() {
        return counters;
    }

    public String endpoint() {
        return key;
    }
}
