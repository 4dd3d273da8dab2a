/**
 * Moving bytes one direction at a time: a {@link org.ambassadord.core.relay.transfer.Flow} per direction,
 * through buffers or splice(2) pipes, from per-loop pools within the direct-memory budget;
 * {@link org.ambassadord.core.relay.transfer.TransferPath} chooses the path once per server.
 */
package org.ambassadord.core.relay.transfer;
