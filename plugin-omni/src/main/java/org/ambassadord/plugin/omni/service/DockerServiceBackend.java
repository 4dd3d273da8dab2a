package org.ambassadord.plugin.omni.service;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.ambassadord.plugin.omni.ContainerRecord;
import org.ambassadord.plugin.omni.EngineWatch;
import org.ambassadord.plugin.omni.RefusedConnectionException;
import org.ambassadord.spi.Backend;
import org.ambassadord.spi.ClientConnection;
import org.ambassadord.spi.ProviderContext;

/**
 * {@code docker://SERVICE}: the running, healthy containers of a Compose service (or Swarm
 * service, or named container), followed through the engine's shared watch
 * ({@link EngineWatch}) — no events stream of its own.
 *
 * <p><b>Threading.</b> The selection is recomputed on the follower thread after each change
 * and published through a volatile field; {@link #resolve} on the event loop reads it. In
 * omni mode (a container chose the spec) the selection depends on the asking container and
 * is computed per connection, from the same published directory.
 */
public final class DockerServiceBackend implements Backend {

    /** How long a connection waits for a directory that is catching up (a lost stream, a first listing). */
    private static final long CATCH_UP_SECONDS = 3;
    /** Lines of /status and --check about left-out containers. */
    private static final int MAX_LISTED = 10;

    private final ServiceSpec spec;
    private final EngineWatch watch;
    private final Optional<String> selfId;
    private final boolean containerChosen;
    private final Runnable reselect = this::reselect;
    /** With {@code swarm}: the service's tasks, polled from the manager. */
    private final Optional<SwarmTaskPoller> tasks;
    private volatile ServiceSelection.Result current = new ServiceSelection.Result(List.of(), Map.of(), Optional.empty());
    private volatile Map<InetSocketAddress, String> byEndpoint = Map.of();

    public DockerServiceBackend(ServiceSpec spec, EngineWatch watch, Optional<String> selfId, ProviderContext context) {
        this.spec = spec;
        this.watch = watch;
        this.selfId = selfId;
        this.containerChosen = context.containerChosen();
        this.tasks = spec.swarm() ? Optional.of(new SwarmTaskPoller(watch.client(), spec.service(), reselect)) : Optional.empty();
        watch.onChange(reselect);
        reselect();
        tasks.ifPresent(SwarmTaskPoller::start);
    }

    /** Follower or task poller thread (and once at open): the selection as the directory and tasks are now. */
    private synchronized void reselect() {
        ServiceSelection.Result result = select(Optional.empty());
        byEndpoint = result.members().stream()
                .collect(Collectors.toUnmodifiableMap(ServiceSelection.Member::endpoint, ServiceSelection.Member::description, (a, b) -> a));
        current = result;
    }

    private ServiceSelection.Result select(Optional<ContainerRecord> asker) {
        if (tasks.isPresent()) {
            return ServiceSelection.selectTasks(spec, tasks.get().current().tasks(), watch.directory().all(), self(), asker);
        }
        return ServiceSelection.select(spec, watch.directory().all(), self(), asker);
    }

    /** Whether the source of members has answered once: the engine listed, and with {@code swarm} the tasks too. */
    private boolean listedOnce() {
        return watch.listedOnce() && tasks.map(poller -> poller.current().successfulPolls() > 0).orElse(true);
    }

    /** Why the source is or is not followed, for messages. */
    private String state() {
        return watch.state() + tasks.map(poller -> {
            SwarmTaskPoller.Snapshot snapshot = poller.current();
            return snapshot.error().isEmpty() ? "" : "; listing the swarm tasks failed: " + snapshot.error();
        }).orElse("");
    }

    private Optional<ContainerRecord> self() {
        return selfId.flatMap(id -> watch.directory().all().stream().filter(c -> c.id().startsWith(id)).findFirst());
    }

    @Override
    public CompletionStage<List<InetSocketAddress>> resolve(ClientConnection connection) {
        if (watch.isCurrent()) {
            return answer(connection);
        }
        CompletableFuture<Void> caughtUp = watch.whenCurrent().copy().completeOnTimeout(null, CATCH_UP_SECONDS, TimeUnit.SECONDS);
        return caughtUp.handle((ignored, error) -> null).thenCompose(ignored -> {
            return answer(connection);
        });
    }

    private CompletionStage<List<InetSocketAddress>> answer(ClientConnection connection) {
        if (!listedOnce()) {
            return refuse((watch.listedOnce() ? "the swarm's tasks have" : "the Docker engine has") + " not been listed yet ("
                    + state() + ")");
        }
        ServiceSelection.Result result = current;
        if (containerChosen) {
            Optional<ContainerRecord> asker = watch.directory().byAddress(connection.client().getAddress());
            if (asker.isEmpty()) {
                return refuse("the asking client [" + connection.client().getAddress().getHostAddress()
                        + "] is no container of this engine, so no network of its bounds " + spec.describe());
            }
            result = select(asker);
        }
        if (result.refusal().isPresent()) {
            return refuse(result.refusal().get());
        }
        if (result.members().isEmpty()) {
            return refuse((tasks.isPresent() ? "no task serves " : "no container serves ") + spec.describe() + leftOut(result)
                    + (tasks.isPresent() && listedOnce() && !tasks.get().current().error().isEmpty() ? "; " + state() : ""));
        }
        return CompletableFuture.completedFuture(result.members().stream().map(ServiceSelection.Member::endpoint).toList());
    }

    private String leftOut(ServiceSelection.Result result) {
        if (result.leftOut().isEmpty()) {
            return tasks.isPresent() ? ": no running task matches" : ": no container matches";
        }
        return ": left out " + result.leftOut().entrySet().stream().limit(MAX_LISTED)
                .map(e -> e.getKey() + " (" + e.getValue() + ")").collect(Collectors.joining(", "))
                + (result.leftOut().size() > MAX_LISTED ? " and " + (result.leftOut().size() - MAX_LISTED) + " more" : "");
    }

    private static <T> CompletionStage<T> refuse(String reason) {
        return CompletableFuture.failedFuture(new RefusedConnectionException(ProviderContext.printable(reason)));
    }

    /** For {@code --check}: the container or task behind an endpoint, its state and health. */
    @Override
    public String describeEndpoint(InetSocketAddress endpoint) {
        return ProviderContext.printable(byEndpoint.getOrDefault(endpoint, ""));
    }

    @Override
    public String describeState() {
        if (!listedOnce()) {
            return ProviderContext.printable(state() + "; not listed yet");
        }
        ServiceSelection.Result result = current;
        String kind = tasks.isPresent() ? "task" : "container";
        String serving = result.refusal().orElseGet(() -> result.members().isEmpty() && result.leftOut().isEmpty()
                ? "no " + kind + " matches " + spec.describe()
                : result.members().size() + " " + kind + "(s) serve " + spec.describe()
                        + (result.leftOut().isEmpty() ? "" : leftOut(result)));
        return ProviderContext.printable(state() + "; " + serving);
    }

    /** Ready once the engine has been listed, even when nothing matches yet. */
    @Override
    public boolean isReady() {
        return listedOnce();
    }

    @Override
    public Set<Integer> listenPorts() {
        return Set.of(DEFAULT_LISTEN_PORT);
    }

    /** Like every discovered backend: 10000 unless {@code --port} says otherwise. */
    public static final int DEFAULT_LISTEN_PORT = 10000;

    @Override
    public void close() {
        tasks.ifPresent(SwarmTaskPoller::close);
        watch.release(reselect);
    }
}
