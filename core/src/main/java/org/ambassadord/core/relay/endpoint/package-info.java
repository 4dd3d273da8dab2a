/**
 * Choosing and judging endpoints: the balance policy's order, the attempts of one connection within
 * {@code --max-attempts} and the connect deadline, ejection after consecutive failures, active health checks,
 * and the guard against relaying to this ambassador's own listeners.
 */
package org.ambassadord.core.relay.endpoint;
