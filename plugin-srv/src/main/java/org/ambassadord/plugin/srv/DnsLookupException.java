package org.ambassadord.plugin.srv;

/**
 * A DNS look-up that got no usable answer (time-out, network error, SERVFAIL, REFUSED), as
 * opposed to an answer that says the service does not exist. The cache keeps serving the
 * last answer on this exception.
 */
final class DnsLookupException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    DnsLookupException(String message) {
        super(message);
    }

    /** A one-line description of any failure of a look-up, for logs and refusals. */
    static String describe(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof java.util.concurrent.CompletionException
                || cause instanceof java.util.concurrent.ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof DnsLookupException) {
            return cause.getMessage();
        }
        String message = cause.getMessage();
        String type = cause.getClass().getSimpleName();
        return message == null || message.isBlank() ? type : type + ": " + message.lines().findFirst().orElse("");
    }
}
