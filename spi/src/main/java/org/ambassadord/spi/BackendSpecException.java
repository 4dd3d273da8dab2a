package org.ambassadord.spi;

/**
 * A backend spec that cannot be served: malformed, naming an unknown scheme, or asking for a
 * module that is not installed. The message is shown to the user as one line, so it quotes
 * the offending value in brackets, e.g. {@code port [70000] of [redis:70000] is out of range
 * 1-65535}.
 */
public class BackendSpecException extends Exception {

    private static final long serialVersionUID = 1L;

    public BackendSpecException(String message) {
        super(message);
    }

    public BackendSpecException(String message, Throwable cause) {
        super(message, cause);
    }
}
