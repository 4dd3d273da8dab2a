package org.ambassadord.core.cli;

/** A user error: printed as one line, exit code 2. */
final class UsageException extends Exception {

    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
