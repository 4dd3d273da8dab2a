/**
 * A connection's life, accept to close: {@link org.ambassadord.core.relay.RelayServer} listens, an
 * {@code Acceptor} hands each connection to a loop, a {@code Relay} resolves and connects (with retries),
 * and a {@code RelayedPair} moves the bytes until both sides are done. Uses every subpackage below.
 */
package org.ambassadord.core.relay;
