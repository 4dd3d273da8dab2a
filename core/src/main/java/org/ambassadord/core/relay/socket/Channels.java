package org.ambassadord.core.relay.socket;

import java.io.IOException;
import java.nio.channels.Channel;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import org.tinylog.Logger;

/** Small helpers shared by the loop, the acceptor and the relays. */
public final class Channels {

    private Channels() {
    }

    /** Closes a channel (null: nothing) when there is nothing left to do about a failure. */
    public static void closeQuietly(Channel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            Logger.debug(e, "close failed");
        }
    }

    /** A failure as one short phrase for a log line: the root message, or the type. */
    public static String reason(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
    }
}
