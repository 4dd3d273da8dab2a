package org.ambassadord.core.tls;

/** A certificate, key or bundle that cannot be used; the message names the option and the file. */
public final class TlsFileException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public TlsFileException(String message) {
        super(message);
    }
}
