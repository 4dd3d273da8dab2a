package org.ambassadord.plugin.omni;

/**
 * Why omni mode will not serve a connection; the relay logs the message with both
 * addresses. No stack trace: the reason is the message.
 */
public final class RefusedConnectionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RefusedConnectionException(String message) {
        super(message, null, false, false);
    }
}
