/**
 * Sockets and the system calls behind them: {@link org.ambassadord.core.relay.socket.RelaySocket} over a
 * native descriptor or an NIO channel, Linux calls through jffi (splice, pipes, keepalive, sockaddr), and
 * address formatting. The bottom layer: depends on no other relay package.
 */
package org.ambassadord.core.relay.socket;
