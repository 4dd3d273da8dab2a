package org.ambassadord.plugin.srv;

/**
 * Refuses a client connection because the SRV name has no usable backend right now; the
 * relay logs the message with the connection's addresses.
 */
final class ServiceUnavailableException extends Exception {

    private static final long serialVersionUID = 1L;

    ServiceUnavailableException(String message) {
        super(message, null, false, false);
    }
}
