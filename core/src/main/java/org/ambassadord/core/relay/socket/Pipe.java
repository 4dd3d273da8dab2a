package org.ambassadord.core.relay.socket;


/**
 * A pipe as {@code pipe2(2)} made it: two descriptors and the room the kernel granted
 * ({@code F_SETPIPE_SZ}), the most one spliced direction holds.
 */
public record Pipe(int readFd, int writeFd, int capacity) {
}
