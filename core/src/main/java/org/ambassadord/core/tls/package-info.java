/**
 * TLS on the hop to the backend: the certificates and keys operators hand over as PEM files
 * ({@link org.ambassadord.core.tls.PemFiles}), what the ambassador trusts and presents
 * ({@link org.ambassadord.core.tls.UpstreamTls}), the handshake driven on the event loop
 * without blocking it ({@link org.ambassadord.core.tls.TlsHandshake}) and the socket that
 * carries application bytes through the engine afterwards ({@link org.ambassadord.core.tls.TlsSocket}).
 * The relay sees only a {@code RelaySocket}: it never names an {@code SSLEngine}.
 */
package org.ambassadord.core.tls;
