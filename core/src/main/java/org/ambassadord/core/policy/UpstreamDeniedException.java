package org.ambassadord.core.policy;

/**
 * Every endpoint of a backend's answer was denied by the upstream policy; the message is the
 * refusal reason. The relay counts these apart from other refusals. No stack trace: the
 * reason is the message.
 */
public final class UpstreamDeniedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    UpstreamDeniedException(String message) {
        super(message, null, false, false);
    }
}
