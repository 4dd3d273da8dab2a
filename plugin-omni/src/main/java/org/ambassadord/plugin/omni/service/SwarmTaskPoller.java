package org.ambassadord.plugin.omni.service;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Task;
import org.ambassadord.spi.ProviderContext;
import org.tinylog.Logger;

/**
 * The tasks of one Swarm service, listed from a manager every {@link #INTERVAL_MILLIS}. A
 * task lives on any node, so the local events stream cannot follow it, and Docker sends no
 * task events at all (service events say only that the spec changed): polling the manager is
 * the one source that sees a task scheduled, started, passing its health check or killed on
 * another node.
 *
 * <p>Its own daemon thread makes every call; the result is published through a volatile
 * field and {@code onChange} runs on that thread after each change. An answer beyond
 * {@link #MAX_TASKS} tasks is cut (the engine's answer is also size-capped by the client).
 */
public final class SwarmTaskPoller implements AutoCloseable {

    static final long INTERVAL_MILLIS = 1000;
    static final int MAX_TASKS = 1024;

    /** What the last poll saw: the tasks, and the error of the last poll if it failed (the tasks are then the last known). */
    public record Snapshot(List<SwarmTask> tasks, String error, long successfulPolls) {
    }

    private final DockerClient docker;
    private final String service;
    private final Runnable onChange;
    private final ScheduledExecutorService thread;
    private volatile Snapshot current = new Snapshot(List.of(), "", 0);

    public SwarmTaskPoller(DockerClient docker, String service, Runnable onChange) {
        this.docker = docker;
        this.service = service;
        this.onChange = onChange;
        this.thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread t = new Thread(runnable, "docker-swarm-tasks");
            t.setDaemon(true);
            return t;
        });
    }

    public void start() {
        thread.scheduleWithFixedDelay(this::poll, 0, INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
    }

    public Snapshot current() {
        return current;
    }

    private void poll() {
        Snapshot before = current;
        Snapshot after;
        try {
            List<Task> answer = docker.listTasksCmd().withServiceFilter(service).exec();
            List<SwarmTask> tasks = new ArrayList<>();
            for (Task task : answer.subList(0, Math.min(MAX_TASKS, answer.size()))) {
                tasks.add(SwarmTaskReader.read(task, service));
            }
            after = new Snapshot(List.copyOf(tasks), "", before.successfulPolls() + 1);
            if (!before.error().isEmpty()) {
                Logger.info("docker: listing the tasks of swarm service [{}] works again", ProviderContext.printable(service));
            }
        } catch (RuntimeException e) {
            // Not a manager, the engine gone, an answer over its cap: keep the last tasks, say why.
            String why = ProviderContext.printable(String.valueOf(e.getMessage()).strip());
            after = new Snapshot(before.tasks(), why, before.successfulPolls());
            if (!why.equals(before.error())) {
                Logger.warn("docker: cannot list the tasks of swarm service [{}]: {}", ProviderContext.printable(service), why);
            }
        }
        boolean changed = !after.tasks().equals(before.tasks()) || !after.error().equals(before.error())
                || before.successfulPolls() == 0 && after.successfulPolls() > 0;
        current = after;
        if (changed) {
            onChange.run();
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
