package org.ambassadord.plugin.links;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Event;
import org.tinylog.Logger;

/**
 * Follows the linked containers of {@link ApiLinks} through the engine's events: when one
 * starts again (a restart may give it another address), its links are pointed at its address
 * now. A lost stream is opened again after {@value #REOPEN_SECONDS} s, and every linked
 * container is looked at once then, so a start missed meanwhile is caught up.
 *
 * <p>Events and look-ups run on docker-java's thread and on the scheduler, never on an event
 * loop; {@link LinkTarget#retarget} publishes through a volatile field.
 */
final class LinkEvents implements AutoCloseable {

    static final long REOPEN_SECONDS = 1;

    private final ApiLinks api;
    private final Map<String, List<LinkTarget>> targetsById;
    private final ScheduledExecutorService scheduler;
    private volatile boolean closed;
    private volatile Closeable stream;

    private LinkEvents(ApiLinks api, Map<String, List<LinkTarget>> targetsById, ScheduledExecutorService scheduler) {
        this.api = api;
        this.targetsById = Map.copyOf(targetsById);
        this.scheduler = scheduler;
    }

    /** Starts following; the targets already point at the containers' addresses at open. */
    static LinkEvents follow(ApiLinks api, Map<String, List<LinkTarget>> targetsById, ScheduledExecutorService scheduler) {
        LinkEvents events = new LinkEvents(api, targetsById, scheduler);
        events.open();
        return events;
    }

    private void open() {
        if (closed) {
            return;
        }
        try {
            stream = api.docker().eventsCmd()
                    .withEventFilter("start")
                    .withContainerFilter(targetsById.keySet().toArray(String[]::new))
                    .exec(new ResultCallback.Adapter<Event>() {
                        @Override
                        public void onNext(Event event) {
                            if (event.getActor() != null) {
                                look(event.getActor().getId());
                            }
                        }

                        @Override
                        public void onError(Throwable error) {
                            reopenLater("the Docker events stream failed: " + error.getMessage());
                        }

                        @Override
                        public void onComplete() {
                            reopenLater("the Docker events stream ended");
                        }
                    });
        } catch (RuntimeException e) {
            reopenLater("cannot follow Docker events: " + e.getMessage());
        }
    }

    private void reopenLater(String why) {
        if (closed) {
            return;
        }
        Logger.info("links: {}; following again in {} s", why, REOPEN_SECONDS);
        scheduler.schedule(() -> {
            targetsById.keySet().forEach(this::look);
            open();
        }, REOPEN_SECONDS, TimeUnit.SECONDS);
    }

    private void look(String id) {
        List<LinkTarget> targets = targetsById.get(id);
        if (targets != null) {
            api.currentAddress(id).ifPresent(address -> targets.forEach(target -> target.retarget(address)));
        }
    }

    @Override
    public void close() {
        closed = true;
        Closeable open = stream;
        if (open != null) {
            try {
                open.close();
            } catch (IOException ignored) {
                // closing
            }
        }
        api.close();
    }
}
