/**
 * What the relay tells the outside: per-loop counters and histograms, their sums for {@code /metrics} and
 * {@code /status}, refusal reasons, and the observers (refusal log, access log) a server reports to.
 * Depends on no other relay package.
 */
package org.ambassadord.core.relay.stats;
