package org.ambassadord.core.accesslog;

/**
 * One closed connection, as the access log writes it.
 *
 * @param endMillis     when it closed (epoch milliseconds)
 * @param client        the client's address and port
 * @param clientName    who the client is, as the backend tells (omni: its container), or empty
 * @param listenerPort  the port it connected to
 * @param endpoint      the backend endpoint used, or {@code -} when none connected
 * @param attempts      endpoints tried
 * @param bytesUp       bytes client to backend
 * @param bytesDown     bytes backend to client
 * @param durationNanos from accept to close
 * @param outcome       {@code closed}, {@code refused: …}, {@code failed: …}, {@code error: …},
 *                      {@code shutdown}
 * @param tlsClient     the verified client certificate's subject and SANs ({@code --tls-client-ca}), or empty
 */
public record AccessRecord(long endMillis, String client, String clientName, int listenerPort, String endpoint, int attempts,
                           long bytesUp, long bytesDown, long durationNanos, String outcome, String tlsClient) {
}
